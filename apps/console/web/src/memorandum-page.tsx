import { useEffect, useState } from 'react';
import { api, MemorandumView } from './api';
import { useLanguage } from './i18n';
import { Link } from './router';
import { CATEGORY, LEVEL, LIST_TYPE, nameOf, SEVERITY, TARGET } from './labels';

/** One memorandum as a person reads it: document, list and terms, measures with their legal basis, rules in words, rule cases. */
export function MemorandumPage({ id, mayDraft }: { id: string; mayDraft: boolean }) {
  const { t, pick, language } = useLanguage();
  const [memorandum, setMemorandum] = useState<MemorandumView | null>(null);
  useEffect(() => {
    void api.memorandum(id).then(setMemorandum);
  }, [id]);
  if (!memorandum) return <p className="loading">{t.loading}</p>;
  const { list, repair } = memorandum;
  return (
    <article>
      <p className="document-number" data-testid="document-number">
        {memorandum.documentNumber}
      </p>
      <h1 data-testid="memorandum-title">{pick(memorandum.title)}</h1>
      {mayDraft && (
        <p>
          <Link to={`/memoranda/${encodeURIComponent(id)}/draft`} testId="open-draft">
            {t.openDraft}
          </Link>
        </p>
      )}
      <dl className="facts">
        <dt>{t.kind}</dt>
        <dd>{memorandum.kind === 'sanction' ? t.sanction : t.incentive}</dd>
        <dt>{t.version}</dt>
        <dd>{memorandum.version}</dd>
        <dt>{t.validFrom}</dt>
        <dd>{memorandum.validity.from}</dd>
        <dt>{t.list}</dt>
        <dd>
          {pick(list.name)} ({nameOf(LIST_TYPE, list.type, language)}, <code>{list.code}</code>)
        </dd>
        <dt>{t.identifyingDepartment}</dt>
        <dd>{pick(list.identifyingDepartment.name)}</dd>
        <dt>{t.terms}</dt>
        <dd>
          {t.defaultTerm} {list.defaultTermDays} · {t.maxTerm} {list.maxTermDays}
        </dd>
        {list.escalation && (
          <>
            <dt>{t.escalation}</dt>
            <dd>
              {list.escalation.afterDays} → <code>{list.escalation.toList}</code> {list.escalation.note}
            </dd>
          </>
        )}
        <dt>{t.repair}</dt>
        <dd>
          {repair.allowed ? t.repairAllowed : t.repairNotAllowed}
          {repair.minimumDays !== undefined && ` · ${t.minimumDays} ${repair.minimumDays}`}
        </dd>
        {memorandum.limitation && (
          <>
            <dt>{t.limitation}</dt>
            <dd>{memorandum.limitation.years}</dd>
          </>
        )}
      </dl>

      <h2>{t.rules}</h2>
      <ul className="rules">
        {memorandum.rules.map((rule) => (
          <li key={rule.name} data-testid="rule-sentence">
            {pick(rule.sentence)} <code className="rule-name">{rule.name}</code>
          </li>
        ))}
      </ul>

      <h2>{t.measures}</h2>
      <table data-testid="measures-table">
        <thead>
          <tr>
            <th>{t.code}</th>
            <th>{t.text}</th>
            <th>{t.category}</th>
            <th>{t.implementing}</th>
            <th>{t.cooperating}</th>
            <th>{t.targets}</th>
            <th>{t.severity}</th>
            <th>{t.legalBasis}</th>
          </tr>
        </thead>
        <tbody>
          {memorandum.measures.map((m) => (
            <tr key={m.code}>
              <td className="nowrap">{m.code}</td>
              <td>{pick(m.text)}</td>
              <td>{nameOf(CATEGORY, m.category, language)}</td>
              <td>{pick(m.implementingDepartment.name)}</td>
              <td>{m.cooperatingDepartments.map((d) => pick(d.name)).join('、')}</td>
              <td>{m.targets.map((target) => nameOf(TARGET, target, language)).join('、')}</td>
              <td>{nameOf(SEVERITY, m.severityRequired, language)}</td>
              <td>
                <ul className="basis">
                  {m.legalBasis.map((b) => (
                    <li key={`${b.instrument.id}:${b.article}`}>
                      {pick(b.instrument.title)} {b.article} <span className="level">{nameOf(LEVEL, b.instrument.level, language)}</span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t.ruleCases}</h2>
      <table data-testid="cases-table">
        <thead>
          <tr>
            <th>{t.result}</th>
            <th>{t.note}</th>
            <th>{t.measures}</th>
          </tr>
        </thead>
        <tbody>
          {memorandum.cases.map((c, index) => (
            <tr key={index} className={c.passed ? 'passed' : 'failed'}>
              <td className="nowrap">{c.passed ? `✓ ${t.passed}` : `✗ ${t.failed}`}</td>
              <td>
                {c.note}
                {!c.passed && <pre>{[...c.missing.map((m) => `− ${m}`), ...c.unexpected.map((u) => `+ ${u}`), c.error ?? ''].join('\n')}</pre>}
              </td>
              <td>{c.measures.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
