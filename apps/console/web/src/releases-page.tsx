import { useCallback, useEffect, useState } from 'react';
import { api, ApiProblem, ConsoleUser, ReleaseDiff, ReleaseSummary } from './api';
import { Language, useLanguage } from './i18n';

/** The page's own texts (Chinese first), beside it rather than in the shared dictionary. */
const TEXT = {
  zh: {
    title: '规则集发布',
    version: '版本',
    revision: '修订哈希',
    author: '起草人',
    approver: '审批人',
    effectiveAt: '生效时间',
    status: '状态',
    notes: '说明',
    actions: '操作',
    status_draft: '草稿',
    status_scheduled: '待生效',
    'status_in-force': '现行有效',
    status_superseded: '已被取代',
    draftFromRules: '将 rules/ 中的文件导入为草稿',
    draftNotes: '草稿说明',
    approve: '批准',
    rollback: '回滚到此版本',
    rolledBackFrom: '回滚自版本',
    compare: '比较',
    from: '从',
    to: '到',
    diffTitle: '版本差异',
    noChange: '内容无变化',
    added: '新增',
    removed: '删除',
    changed: '修改',
    files: '备忘录文件',
    measures: '措施',
    rules: '规则',
    fields: '其他字段',
    instruments: '法律依据目录',
    cases: '规则用例',
  },
  en: {
    title: 'Rule-set releases',
    version: 'Version',
    revision: 'Revision hash',
    author: 'Author',
    approver: 'Approver',
    effectiveAt: 'Effective',
    status: 'Status',
    notes: 'Notes',
    actions: 'Actions',
    status_draft: 'Draft',
    status_scheduled: 'Scheduled',
    'status_in-force': 'In force',
    status_superseded: 'Superseded',
    draftFromRules: 'Import the files in rules/ as a draft',
    draftNotes: 'Draft notes',
    approve: 'Approve',
    rollback: 'Roll back to this release',
    rolledBackFrom: 'rollback of version',
    compare: 'Compare',
    from: 'From',
    to: 'To',
    diffTitle: 'Differences',
    noChange: 'No change in content',
    added: 'added',
    removed: 'removed',
    changed: 'changed',
    files: 'Memorandum files',
    measures: 'Measures',
    rules: 'Rules',
    fields: 'Other fields',
    instruments: 'Instrument catalogue',
    cases: 'Rule cases',
  },
} as const;

export const RELEASES_TITLE: Record<Language, string> = { zh: TEXT.zh.title, en: TEXT.en.title };

/** A date-time input's value (local time, to the second) for an instant. */
function localInputValue(instant: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}T${pad(instant.getHours())}:${pad(instant.getMinutes())}:${pad(instant.getSeconds())}`;
}

const shown = (instant: string | null, language: Language) => (instant ? new Date(instant).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false }) : '—');

/**
 * The release history with each release's status now; a policy editor drafts the files in rules/,
 * a policy approver approves a draft at an effective time or rolls back to an approved release;
 * any two releases compared by memorandum. The API decides who may (roles, four eyes): the page
 * shows its refusals with their stable codes.
 */
export function ReleasesPage({ user }: { user: ConsoleUser }) {
  const { language } = useLanguage();
  const text = TEXT[language];
  const [releases, setReleases] = useState<ReleaseSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notes, setNotes] = useState('');
  const [effective, setEffective] = useState<Record<number, string>>({});
  const [pair, setPair] = useState<{ from?: number; to?: number }>({});
  const [diff, setDiff] = useState<ReleaseDiff | null>(null);
  const isEditor = user.roles.includes('policy-editor');
  const isApprover = user.roles.includes('policy-approver');

  const reload = useCallback(() => api.releases().then(setReleases), []);
  useEffect(() => {
    void reload();
    // A scheduled release comes into force at its instant: the statuses follow without a reload.
    const timer = setInterval(() => void reload(), 3_000);
    return () => clearInterval(timer);
  }, [reload]);

  const act = async (action: () => Promise<unknown>) => {
    setProblem(null);
    try {
      await action();
    } catch (error) {
      setProblem(error instanceof ApiProblem ? `${error.code}: ${error.message}` : String(error));
    }
    await reload();
  };

  if (!releases) return <p className="loading">…</p>;
  const from = pair.from ?? releases[1]?.version;
  const to = pair.to ?? releases[0]?.version;
  return (
    <section>
      <h1>{text.title}</h1>
      {isEditor && (
        <p className="release-actions">
          <input aria-label={text.draftNotes} placeholder={text.draftNotes} value={notes} onChange={(e) => setNotes(e.target.value)} data-testid="draft-notes" />
          <button type="button" onClick={() => act(() => api.draftFromRules(notes).then(() => setNotes('')))} data-testid="draft-from-rules">
            {text.draftFromRules}
          </button>
        </p>
      )}
      {problem && (
        <p className="error" role="alert" data-testid="release-error">
          {problem}
        </p>
      )}
      <table data-testid="releases-table">
        <thead>
          <tr>
            <th>{text.version}</th>
            <th>{text.revision}</th>
            <th>{text.author}</th>
            <th>{text.approver}</th>
            <th>{text.effectiveAt}</th>
            <th>{text.status}</th>
            <th>{text.notes}</th>
            {isApprover && <th>{text.actions}</th>}
          </tr>
        </thead>
        <tbody>
          {releases.map((r) => (
            <tr key={r.version} data-testid={`release-row-${r.version}`} className={`release-${r.status}`}>
              <td className="number">{r.version}</td>
              <td className="nowrap" title={r.revision}>
                <code>{r.revision.slice(0, 19)}</code>
              </td>
              <td>{r.author}</td>
              <td>{r.approver ?? '—'}</td>
              <td className="nowrap">{shown(r.effectiveAt, language)}</td>
              <td className="nowrap" data-testid={`release-status-${r.version}`}>
                {text[`status_${r.status}` as keyof typeof text]}
              </td>
              <td>
                {r.notes}
                {r.rolledBackFrom !== null && <span className="level"> ({text.rolledBackFrom} {r.rolledBackFrom})</span>}
              </td>
              {isApprover && (
                <td className="nowrap">
                  {r.status === 'draft' ? (
                    <>
                      <input
                        type="datetime-local"
                        step={1}
                        aria-label={text.effectiveAt}
                        value={effective[r.version] ?? localInputValue(new Date(Date.now() + 60_000))}
                        onChange={(e) => setEffective({ ...effective, [r.version]: e.target.value })}
                        data-testid={`approve-effective-${r.version}`}
                      />{' '}
                      <button type="button" onClick={() => act(() => api.approveRelease(r.version, new Date(effective[r.version] ?? Date.now() + 60_000).toISOString()))} data-testid={`approve-${r.version}`}>
                        {text.approve}
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => act(() => api.rollbackRelease(r.version))} data-testid={`rollback-${r.version}`}>
                      {text.rollback}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {releases.length > 1 && (
        <p className="release-actions">
          <label>
            {text.from}{' '}
            <select value={from} onChange={(e) => setPair({ from: Number(e.target.value), to })} data-testid="diff-from">
              {releases.map((r) => (
                <option key={r.version} value={r.version}>
                  {r.version}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            {text.to}{' '}
            <select value={to} onChange={(e) => setPair({ from, to: Number(e.target.value) })} data-testid="diff-to">
              {releases.map((r) => (
                <option key={r.version} value={r.version}>
                  {r.version}
                </option>
              ))}
            </select>
          </label>{' '}
          <button type="button" onClick={() => from !== undefined && to !== undefined && act(() => api.releaseDiff(from, to).then(setDiff))} data-testid="diff-show">
            {text.compare}
          </button>
        </p>
      )}
      {diff && <DiffView diff={diff} text={text} />}
    </section>
  );
}

type Text = (typeof TEXT)[Language];
interface Items {
  added: string[];
  removed: string[];
  changed: string[];
}

function ItemsLine({ label, items, text }: { label: string; items: Items; text: Text }) {
  const parts = (['added', 'removed', 'changed'] as const).filter((k) => items[k].length > 0).map((k) => `${text[k]}: ${items[k].join(', ')}`);
  return parts.length === 0 ? null : (
    <li>
      {label} — {parts.join('; ')}
    </li>
  );
}

function DiffView({ diff, text }: { diff: ReleaseDiff; text: Text }) {
  const { memoranda, instruments, cases } = diff.diff;
  const count = (items: { added: unknown[]; removed: unknown[]; changed: unknown[] }) => items.added.length + items.removed.length + items.changed.length;
  const empty = count(memoranda) + count(instruments) + count(cases) === 0;
  return (
    <div data-testid="diff-result">
      <h2>
        {text.diffTitle}: {diff.from.version} → {diff.to.version}
      </h2>
      {empty ? (
        <p>{text.noChange}</p>
      ) : (
        <ul className="rules">
          <ItemsLine label={text.files} items={{ ...memoranda, changed: memoranda.changed.map((c) => c.file) }} text={text} />
          {memoranda.changed.map((m) => (
            <li key={m.file}>
              <code>{m.file}</code>
              <ul>
                <ItemsLine label={text.measures} items={m.measures} text={text} />
                <ItemsLine label={text.rules} items={m.rules} text={text} />
                {m.fields.length > 0 && (
                  <li>
                    {text.fields} — {m.fields.join(', ')}
                  </li>
                )}
              </ul>
            </li>
          ))}
          <ItemsLine label={text.instruments} items={instruments} text={text} />
          <ItemsLine label={text.cases} items={cases} text={text} />
        </ul>
      )}
    </div>
  );
}
