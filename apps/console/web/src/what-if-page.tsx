import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiProblem, ConsoleUser, MemorandumSummary, ReleaseSummary, WhatIfBody, WhatIfEvent, WhatIfProgress } from './api';
import { CHART_FONT, useChart } from './echarts-chart';
import { Language, useLanguage } from './i18n';
import { DRAFT_STORAGE_KEY } from './draft-page';
import { RuleBaseNote } from './rule-base';

/** The page's own texts (Chinese first), beside it rather than in the shared dictionary. */
const TEXT = {
  zh: {
    title: '规则影响模拟',
    intro: '用草稿或某个发布版本，按引擎作出决定时的方式重新判断期间内已作出决定的全部事件，与实际决定比较。不写入任何数据。',
    period: '期间',
    from: '起',
    to: '止（含当日）',
    source: '模拟的规则',
    sourceDraft: '正在编辑的草稿',
    noDraft: '没有正在编辑的草稿（在备忘录页面“以草稿打开”后即可模拟）',
    sourceRelease: '发布版本',
    noReleases: '还没有发布版本',
    run: '开始模拟',
    cancel: '取消',
    readOnly: '审计人员可查看模拟结果，不能发起或取消模拟。',
    progress: '进度',
    events: '个事件',
    state_running: '模拟中',
    state_finished: '已完成',
    state_cancelled: '已取消',
    state_failed: '失败',
    simulated: '所模拟的规则',
    summary: '汇总',
    decisionsBefore: '实际决定数',
    decisionsAfter: '模拟决定数',
    eventsWithDifferences: '有差异的事件',
    gained: '新增',
    lost: '减少',
    changed: '变化',
    byMemorandum: '按备忘录',
    byDepartment: '按实施部门',
    byMeasure: '按措施',
    memorandum: '备忘录',
    department: '实施部门',
    measure: '措施',
    examples: '示例主体（已脱敏）',
    noDifferences: '没有差异',
    downloadCsv: '下载 CSV',
    csvCut: 'CSV 仅含前 200,000 行差异，汇总仍为全部。',
    drillDown: '查看',
    eventTitle: '事件详情',
    before: '实际决定（按当时的规则）',
    after: '模拟决定（按所模拟的规则）',
    none: '无决定',
    measuresGained: '新增措施',
    measuresLost: '减少的措施',
    measuresChanged: '变化的措施',
    listEntriesChanged: '名单记录有变化',
    close: '关闭',
    facts: '事实',
    kind_gained: '新增',
    kind_lost: '减少',
    kind_changed: '变化',
    status_draft: '草稿',
    status_scheduled: '待生效',
    'status_in-force': '现行有效',
    status_superseded: '已被取代',
  },
  en: {
    title: 'What-if on history',
    intro: 'Judges every decided event of the period again with a draft or a release, as the engine decided it, and compares with the decisions made. Nothing is written.',
    period: 'Period',
    from: 'From',
    to: 'To (inclusive)',
    source: 'Rules simulated',
    sourceDraft: 'The draft being edited',
    noDraft: 'No draft being edited (open a memorandum as a draft to simulate it)',
    sourceRelease: 'Release',
    noReleases: 'No releases yet',
    run: 'Run',
    cancel: 'Cancel',
    readOnly: 'Auditors read what-if runs; they do not start or cancel them.',
    progress: 'Progress',
    events: 'events',
    state_running: 'Running',
    state_finished: 'Finished',
    state_cancelled: 'Cancelled',
    state_failed: 'Failed',
    simulated: 'Rules simulated',
    summary: 'Summary',
    decisionsBefore: 'Decisions made',
    decisionsAfter: 'Decisions simulated',
    eventsWithDifferences: 'Events with differences',
    gained: 'Gained',
    lost: 'Lost',
    changed: 'Changed',
    byMemorandum: 'By memorandum',
    byDepartment: 'By implementing department',
    byMeasure: 'By measure',
    memorandum: 'Memorandum',
    department: 'Implementing department',
    measure: 'Measure',
    examples: 'Example subjects (masked)',
    noDifferences: 'No differences',
    downloadCsv: 'Download CSV',
    csvCut: 'The CSV holds the first 200,000 differences; the summary counts all.',
    drillDown: 'Open',
    eventTitle: 'Event',
    before: 'Decided (rules of the time)',
    after: 'Simulated (rules simulated)',
    none: 'No decision',
    measuresGained: 'Measures gained',
    measuresLost: 'Measures lost',
    measuresChanged: 'Measures changed',
    listEntriesChanged: 'List entries changed',
    close: 'Close',
    facts: 'Facts',
    kind_gained: 'gained',
    kind_lost: 'lost',
    kind_changed: 'changed',
    status_draft: 'draft',
    status_scheduled: 'scheduled',
    'status_in-force': 'in force',
    status_superseded: 'superseded',
  },
} as const;

/** Who may start and cancel a run (the API checks it too: CONSOLE.ROLE_REQUIRED); the auditor reads. */
const RUN_ROLES = ['policy-editor', 'policy-approver', 'credit-office'];
/** The draft editor's contract: the draft being edited, kept in sessionStorage. */
const DRAFT_KEY = DRAFT_STORAGE_KEY;
const POLL_MS = 400;
const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

interface EditedDraft {
  memorandum: string;
  file: string;
  content: string;
}

function editedDraft(): EditedDraft | null {
  try {
    const value = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null') as Partial<EditedDraft> | null;
    return value && typeof value.file === 'string' && typeof value.content === 'string' && typeof value.memorandum === 'string' ? (value as EditedDraft) : null;
  } catch {
    return null;
  }
}

/** A China date (YYYY-MM-DD) some days before today. */
function chinaDay(daysAgo: number): string {
  return new Date(Date.now() + CHINA_OFFSET_MS - daysAgo * DAY_MS).toISOString().slice(0, 10);
}

/** The period as the API takes it: from the first day's start to the day after the last, China time. */
function periodOf(from: string, to: string): { from: string; to: string } {
  const next = new Date(Date.parse(`${to}T00:00:00+08:00`) + DAY_MS + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  return { from: `${from}T00:00:00+08:00`, to: `${next}T00:00:00+08:00` };
}

function query(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

/** Keeps the run in the address, so a reload or a shared link (an auditor's) opens it again. */
function rememberRun(id: string): void {
  const params = new URLSearchParams(location.search);
  params.set('run', id);
  history.replaceState(null, '', `/what-if?${params}`);
}

/** An instant as a China date and time, whatever the browser's zone. */
const chinaTime = (instant: string, language: Language) => new Date(instant).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', { hour12: false, timeZone: 'Asia/Shanghai' });

const problemText = (error: unknown) => (error instanceof ApiProblem ? `${error.code}: ${error.message}` : String(error));

/**
 * What-if on history: the draft being edited (sessionStorage, the editor's) or a stored release,
 * over a period of decided events; a progress bar while it runs, then decisions before and after,
 * what is gained, lost and changed per memorandum, department and measure, masked example subjects,
 * one event's explanations as decided and as simulated side by side, and the CSV.
 */
export function WhatIfPage({ user }: { user: ConsoleUser }) {
  const { language } = useLanguage();
  const text = TEXT[language];
  const mayRun = user.roles.some((r) => RUN_ROLES.includes(r));
  const [draft] = useState(editedDraft);
  const [releases, setReleases] = useState<ReleaseSummary[]>([]);
  const [titles, setTitles] = useState<Record<string, { zh: string; en: string }>>({});
  const [from, setFrom] = useState(() => chinaDay(30));
  const [to, setTo] = useState(() => chinaDay(0));
  const [source, setSource] = useState<'draft' | 'release'>(() => (draft && query('source') === 'draft' ? 'draft' : 'release'));
  const [release, setRelease] = useState<number | null>(null);
  const [run, setRun] = useState<WhatIfProgress | null>(null);
  const [event, setEvent] = useState<WhatIfEvent | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const polling = useRef<number | undefined>(undefined);

  useEffect(() => {
    void api.releases().then((all) => {
      setReleases(all);
      setRelease((chosen) => chosen ?? (all.find((r) => r.status === 'in-force') ?? all[0])?.version ?? null);
      // With no release to choose, the draft is the only source there is.
      if (all.length === 0 && draft) setSource('draft');
    }, () => setReleases([]));
    void api.memoranda().then((all: MemorandumSummary[]) => setTitles(Object.fromEntries(all.map((m) => [m.id, m.title]))), () => undefined);
  }, [draft]);

  const follow = useCallback((id: string) => {
    window.clearTimeout(polling.current);
    const poll = async () => {
      try {
        const progress = await api.whatIf(id);
        setRun(progress);
        if (progress.state === 'running') polling.current = window.setTimeout(() => void poll(), POLL_MS);
      } catch (error) {
        setProblem(problemText(error));
      }
    };
    void poll();
  }, []);

  useEffect(() => {
    const id = query('run');
    if (id) follow(id);
    return () => window.clearTimeout(polling.current);
  }, [follow]);

  const start = async () => {
    setProblem(null);
    setEvent(null);
    const period = periodOf(from, to);
    const body: WhatIfBody | null = source === 'draft' && draft ? { period, draft: { file: draft.file, content: draft.content } } : release !== null ? { period, release } : null;
    if (!body) return;
    try {
      const started = await api.startWhatIf(body);
      setRun(started);
      rememberRun(started.id);
      follow(started.id);
    } catch (error) {
      setProblem(problemText(error));
    }
  };

  const cancel = async () => {
    if (!run) return;
    try {
      setRun(await api.cancelWhatIf(run.id));
    } catch (error) {
      setProblem(problemText(error));
    }
  };

  const open = async (eventSource: string, eventId: string) => {
    if (!run) return;
    setProblem(null);
    try {
      setEvent(await api.whatIfEvent(run.id, eventSource, eventId));
    } catch (error) {
      setProblem(problemText(error));
    }
  };

  const running = run?.state === 'running';
  const title = (id: string) => (titles[id] ? (language === 'zh' ? `${titles[id].zh}（${id}）` : `${titles[id].en || titles[id].zh} (${id})`) : id);
  return (
    <section className="what-if">
      <h1>{text.title}</h1>
      <p className="notice">{text.intro}</p>
      {mayRun ? (
        <div className="what-if-form">
          <fieldset>
            <legend>{text.period}</legend>
            <label>
              {text.from} <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} data-testid="what-if-from" />
            </label>
            <label>
              {text.to} <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} data-testid="what-if-to" />
            </label>
          </fieldset>
          <fieldset>
            <legend>{text.source}</legend>
            <label>
              <input type="radio" name="source" checked={source === 'draft'} disabled={!draft} onChange={() => setSource('draft')} data-testid="what-if-source-draft" />
              {text.sourceDraft}
              {draft ? <code className="draft-file"> {draft.file}</code> : <span className="level"> {text.noDraft}</span>}
            </label>
            <label>
              <input type="radio" name="source" checked={source === 'release'} disabled={releases.length === 0} onChange={() => setSource('release')} data-testid="what-if-source-release" />
              {text.sourceRelease}{' '}
              {releases.length === 0 ? (
                <span className="level">{text.noReleases}</span>
              ) : (
                <select value={release ?? ''} onChange={(e) => setRelease(Number(e.target.value))} disabled={source !== 'release'} data-testid="what-if-release">
                  {releases.map((r) => (
                    <option key={r.version} value={r.version}>
                      {r.version} · {text[`status_${r.status}` as keyof Text]} · {r.revision.slice(0, 15)}
                    </option>
                  ))}
                </select>
              )}
            </label>
          </fieldset>
          <p className="release-actions">
            <button type="button" className="primary" onClick={() => void start()} disabled={running || (source === 'draft' ? !draft : release === null)} data-testid="what-if-run">
              {text.run}
            </button>
            {running && (
              <button type="button" onClick={() => void cancel()} data-testid="what-if-cancel">
                {text.cancel}
              </button>
            )}
          </p>
        </div>
      ) : (
        <p className="level">{text.readOnly}</p>
      )}
      {problem && (
        <p className="error" role="alert" data-testid="what-if-error">
          {problem}
        </p>
      )}
      {run && <RunView run={run} text={text} language={language} title={title} onOpen={(s, id) => void open(s, id)} />}
      {event && <EventView event={event} text={text} language={language} title={title} onClose={() => setEvent(null)} />}
    </section>
  );
}

type Text = (typeof TEXT)[Language];
type Counts = { gained: number; lost: number; changed: number };

function CountCells({ counts }: { counts: Counts }) {
  return (
    <>
      <td className="number">{counts.gained}</td>
      <td className="number">{counts.lost}</td>
      <td className="number">{counts.changed}</td>
    </>
  );
}

function RunView({ run, text, language, title, onOpen }: { run: WhatIfProgress; text: Text; language: Language; title: (id: string) => string; onOpen: (source: string, eventId: string) => void }) {
  const { summary } = run;
  const { done, total } = run.progress;
  const chart = useChart(
    summary.byMemorandum.length > 0 && {
      animation: false,
      textStyle: { fontFamily: CHART_FONT },
      tooltip: { trigger: 'axis' },
      legend: { data: [text.gained, text.lost, text.changed], top: 4 },
      grid: { left: 48, right: 16, bottom: 48, top: 40 },
      xAxis: { type: 'category', data: summary.byMemorandum.map((m) => m.memorandumId), axisLabel: { interval: 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: (['gained', 'lost', 'changed'] as const).map((kind, i) => ({ name: text[kind], type: 'bar', barMaxWidth: 32, color: ['#1e7b34', '#b42318', '#dc9a00'][i], data: summary.byMemorandum.map((m) => m[kind]) })),
    },
  );
  return (
    <div data-testid="what-if-run-view" data-state={run.state}>
      <h2>{text.progress}</h2>
      <p className="what-if-progress">
        <progress value={done} max={Math.max(total, 1)} data-testid="what-if-progress" />
        <span data-testid="what-if-progress-text">
          {done} / {total} {text.events} · {text[`state_${run.state}` as keyof Text]}
        </span>
        {run.failure && <span className="error"> {run.failure}</span>}
      </p>
      <p className="level">
        {text.simulated}: <code>{run.simulated}</code>
        {run.base && (
          <>
            {' · '}
            <RuleBaseNote base={run.base} testId="what-if-base" />
          </>
        )}
        {' · '}
        {chinaTime(run.period.from, language)} – {chinaTime(run.period.to, language)}
      </p>

      <h2>{text.summary}</h2>
      <dl className="facts" data-testid="what-if-summary">
        <dt>{text.decisionsBefore}</dt>
        <dd data-testid="what-if-decisions-before">{summary.decisionsBefore}</dd>
        <dt>{text.decisionsAfter}</dt>
        <dd data-testid="what-if-decisions-after">{summary.decisionsAfter}</dd>
        <dt>{text.eventsWithDifferences}</dt>
        <dd>{summary.eventsWithDifferences}</dd>
        <dt>{text.gained}</dt>
        <dd data-testid="what-if-gained">{summary.decisions.gained}</dd>
        <dt>{text.lost}</dt>
        <dd data-testid="what-if-lost">{summary.decisions.lost}</dd>
        <dt>{text.changed}</dt>
        <dd data-testid="what-if-changed">{summary.decisions.changed}</dd>
      </dl>
      {run.state !== 'running' && (
        <p>
          <a href={api.whatIfCsvHref(run.id)} download="what-if.csv" data-testid="what-if-csv">
            {text.downloadCsv}
          </a>
          {!run.csvComplete && <span className="level"> {text.csvCut}</span>}
        </p>
      )}

      <h2>{text.byMemorandum}</h2>
      {summary.byMemorandum.length === 0 ? (
        <p className="level">{text.noDifferences}</p>
      ) : (
        <>
          <div className="chart wide" ref={chart} data-testid="what-if-chart" />
          <table data-testid="what-if-by-memorandum">
            <thead>
              <tr>
                <th>{text.memorandum}</th>
                <th>{text.gained}</th>
                <th>{text.lost}</th>
                <th>{text.changed}</th>
                <th>{text.examples}</th>
              </tr>
            </thead>
            <tbody>
              {summary.byMemorandum.map((m) => (
                <tr key={m.memorandumId} data-testid={`what-if-memorandum-${m.memorandumId}`}>
                  <td>{title(m.memorandumId)}</td>
                  <CountCells counts={m} />
                  <td>
                    <ul className="examples">
                      {m.examples.map((e) => (
                        <li key={`${e.source} ${e.eventId}`}>
                          <span className="nowrap">{e.subject.name} · {e.subject.id}</span> <span className="level">{text[`kind_${e.change}` as keyof Text]}</span>{' '}
                          <button type="button" onClick={() => onOpen(e.source, e.eventId)} data-testid="what-if-example">
                            {text.drillDown}
                          </button>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {summary.byDepartment.length > 0 && (
        <>
          <h2>{text.byDepartment}</h2>
          <table data-testid="what-if-by-department">
            <thead>
              <tr>
                <th>{text.department}</th>
                <th>{text.gained}</th>
                <th>{text.lost}</th>
                <th>{text.changed}</th>
              </tr>
            </thead>
            <tbody>
              {summary.byDepartment.map((d) => (
                <tr key={d.department}>
                  <td>{d.department}</td>
                  <CountCells counts={d} />
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      {summary.byMeasure.length > 0 && (
        <>
          <h2>{text.byMeasure}</h2>
          <table data-testid="what-if-by-measure">
            <thead>
              <tr>
                <th>{text.measure}</th>
                <th>{text.memorandum}</th>
                <th>{text.gained}</th>
                <th>{text.lost}</th>
                <th>{text.changed}</th>
              </tr>
            </thead>
            <tbody>
              {summary.byMeasure.map((m) => (
                <tr key={`${m.memorandumId} ${m.measureCode}`} data-testid={`what-if-measure-${m.measureCode}`}>
                  <td>{m.measureCode}</td>
                  <td>{title(m.memorandumId)}</td>
                  <CountCells counts={m} />
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

type Explained = WhatIfEvent['before'][number];
type Explanation = { rule?: { name?: string; description?: string }; ruleSetRevision?: string; facts?: Record<string, unknown> };

/** One side of the drill-down: each memorandum's decision, rule by rule, with the facts that matched. */
function Decisions({ decisions, text, title, testId }: { decisions: Explained[]; text: Text; title: (id: string) => string; testId: string }) {
  if (decisions.length === 0) return <p className="level" data-testid={testId}>{text.none}</p>;
  return (
    <div data-testid={testId}>
      {decisions.map((d) => (
        <div key={d.memorandumId} className="explained">
          <h3>{title(d.memorandumId)}</h3>
          {Object.entries(d.explanations as Record<string, Explanation>).map(([rule, explanation]) => (
            <div key={rule} className="explanation">
              <strong>{rule}</strong>
              {explanation.rule?.description && <p>{explanation.rule.description}</p>}
              <p className="level">{explanation.ruleSetRevision}</p>
              {explanation.facts && (
                <dl className="facts small">
                  {Object.entries(explanation.facts)
                    .sort(([a], [b]) => a.localeCompare(b))
                    .map(([name, value]) => (
                      <div key={name} className="fact">
                        <dt>{name}</dt>
                        <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                      </div>
                    ))}
                </dl>
              )}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}

function EventView({ event, text, language, title, onClose }: { event: WhatIfEvent; text: Text; language: Language; title: (id: string) => string; onClose: () => void }) {
  const codes = (measures: Array<{ measureCode: string }>) => measures.map((m) => m.measureCode).join(' ');
  return (
    <div className="what-if-event" data-testid="what-if-event">
      <h2>
        {text.eventTitle}: <code>{event.source}</code> <code>{event.eventId}</code>{' '}
        <button type="button" onClick={onClose}>
          {text.close}
        </button>
      </h2>
      <p className="level">
        {event.eventType} · {chinaTime(event.decidedAt, language)}
      </p>
      <ul className="problems" data-testid="what-if-event-differences">
        {event.differences.map((d) => (
          <li key={d.memorandumId} className="warning">
            {title(d.memorandumId)} · {text[`kind_${d.change}` as keyof Text]}
            {d.measuresGained.length > 0 && ` · ${text.measuresGained}: ${codes(d.measuresGained)}`}
            {d.measuresLost.length > 0 && ` · ${text.measuresLost}: ${codes(d.measuresLost)}`}
            {d.measuresChanged.length > 0 && ` · ${text.measuresChanged}: ${codes(d.measuresChanged.map((c) => c.after))}`}
            {d.listEntriesChanged && ` · ${text.listEntriesChanged}`}
          </li>
        ))}
      </ul>
      <div className="side-by-side">
        <div>
          <h3>{text.before}</h3>
          <Decisions decisions={event.before} text={text} title={title} testId="what-if-event-before" />
        </div>
        <div>
          <h3>{text.after}</h3>
          <Decisions decisions={event.after} text={text} title={title} testId="what-if-event-after" />
        </div>
      </div>
    </div>
  );
}
