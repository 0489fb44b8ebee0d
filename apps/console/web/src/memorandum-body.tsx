import type { MemorandumView } from './api';
import { useLanguage } from './i18n';
import { CATEGORY, LEVEL, LIST_TYPE, nameOf, SEVERITY, TARGET } from './labels';

/** What a memorandum page shows of a memorandum, in force or rendered from a draft: its list and terms, rules in words, measures with their legal basis. */
export type MemorandumBodyView = Omit<MemorandumView, 'cases'>;

export function MemorandumBody({ memorandum }: { memorandum: MemorandumBodyView }) {
  const { t, pick, language } = useLanguage();
  const { list, repair } = memorandum;
  return (
    <>
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
    </>
  );
}
