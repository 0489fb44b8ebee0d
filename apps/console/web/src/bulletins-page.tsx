import { useEffect, useState } from 'react';
import { api, ApiProblem, BulletinList } from './api';
import { useLanguage } from './i18n';

/** The page's own texts (Chinese first). */
const TEXT = {
  zh: { title: '情况通报', none: '尚未签发情况通报', number: '文号', period: '通报期间', kind: '类型', month: '月度', quarter: '季度', issuedBy: '签发', schedule: '定期（系统）', issuedAt: '签发时间', pdf: '下载 PDF' },
  en: { title: 'Situation bulletins', none: 'No situation bulletin issued yet', number: 'Number', period: 'Period', kind: 'Kind', month: 'Monthly', quarter: 'Quarterly', issuedBy: 'Issued by', schedule: 'Schedule', issuedAt: 'Issued at', pdf: 'Download PDF' },
} as const;

/** The bulletins issued (latest period first), each with its PDF: the credit office issues them through the query API or its schedule. */
export function BulletinsPage() {
  const { language } = useLanguage();
  const text = TEXT[language];
  const [bulletins, setBulletins] = useState<BulletinList['bulletins'] | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => {
    api.bulletins().then(
      (answer) => setBulletins(answer.bulletins),
      (error: unknown) => setProblem(error instanceof ApiProblem ? `${error.code}: ${error.message}` : String(error)),
    );
  }, []);
  return (
    <section data-testid="bulletins-page">
      <h1>{text.title}</h1>
      {problem && <p className="problem" role="alert">{problem}</p>}
      {bulletins && bulletins.length === 0 && <p data-testid="bulletins-none">{text.none}</p>}
      {bulletins && bulletins.length > 0 && (
        <table data-testid="bulletins-table">
          <thead>
            <tr>
              <th>{text.number}</th>
              <th>{text.period}</th>
              <th>{text.kind}</th>
              <th>{text.issuedBy}</th>
              <th>{text.issuedAt}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {bulletins.map((b) => (
              <tr key={b.id} data-testid="bulletin-row">
                <td>{b.number}</td>
                <td>
                  {b.period?.from} – {b.period?.to}
                </td>
                <td>{b.period?.kind === 'quarter' ? text.quarter : text.month}</td>
                <td>{b.issuedBy === 'schedule' ? text.schedule : b.issuedBy}</td>
                <td>{b.issuedAt ? new Date(b.issuedAt).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai' }) : ''}</td>
                <td>
                  <a href={`/api/v1/bulletins/${encodeURIComponent(b.number ?? '')}.pdf`} target="_blank" rel="noreferrer" data-testid="bulletin-pdf">
                    {text.pdf}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
