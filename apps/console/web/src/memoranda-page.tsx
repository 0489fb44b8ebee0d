import { useEffect, useState } from 'react';
import { api, MemorandumSummary } from './api';
import { useLanguage } from './i18n';
import { Link } from './router';

export function MemorandaPage() {
  const { t, pick } = useLanguage();
  const [memoranda, setMemoranda] = useState<MemorandumSummary[] | null>(null);
  useEffect(() => {
    void api.memoranda().then(setMemoranda);
  }, []);
  if (!memoranda) return <p className="loading">{t.loading}</p>;
  return (
    <section>
      <h1>{t.memoranda}</h1>
      <table data-testid="memoranda-table">
        <thead>
          <tr>
            <th>{t.documentNumber}</th>
            <th>{t.memoranda}</th>
            <th>{t.kind}</th>
            <th>{t.list}</th>
            <th>{t.measureCount}</th>
            <th>{t.ruleCount}</th>
          </tr>
        </thead>
        <tbody>
          {memoranda.map((m) => (
            <tr key={m.id}>
              <td className="nowrap">{m.documentNumber}</td>
              <td>
                <Link to={`/memoranda/${m.id}`} testId={`memorandum-link-${m.id}`}>
                  {pick(m.title)}
                </Link>
              </td>
              <td>{m.kind === 'sanction' ? t.sanction : t.incentive}</td>
              <td>{pick(m.list.name)}</td>
              <td className="number">{m.measures}</td>
              <td className="number">{m.rules}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
