import { useEffect, useState } from 'react';
import { api, MemorandumView } from './api';
import { useLanguage } from './i18n';
import { MemorandumBody } from './memorandum-body';
import { Link } from './router';
import { RuleBaseNote } from './rule-base';

/** One memorandum as a person reads it: document, list and terms, measures with their legal basis, rules in words, rule cases. */
export function MemorandumPage({ id, mayDraft }: { id: string; mayDraft: boolean }) {
  const { t, pick } = useLanguage();
  const [memorandum, setMemorandum] = useState<MemorandumView | null>(null);
  useEffect(() => {
    void api.memorandum(id).then(setMemorandum);
  }, [id]);
  if (!memorandum) return <p className="loading">{t.loading}</p>;
  return (
    <article>
      <p className="document-number">
        <span data-testid="document-number">{memorandum.documentNumber}</span> · <RuleBaseNote base={memorandum.base} testId="memorandum-base" />
      </p>
      <h1 data-testid="memorandum-title">{pick(memorandum.title)}</h1>
      {mayDraft && (
        <p>
          <Link to={`/memoranda/${encodeURIComponent(id)}/draft`} testId="open-draft">
            {t.openDraft}
          </Link>
        </p>
      )}
      <MemorandumBody memorandum={memorandum} />

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
