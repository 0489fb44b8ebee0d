import { FormEvent, useEffect, useState } from 'react';
import { api, ApiProblem, DistrictOverview } from './api';
import { useChart } from './echarts-chart';
import { Language, useLanguage } from './i18n';

/** The page's own texts (Chinese first), beside it rather than in the shared dictionary. */
const TEXT = {
  zh: {
    from: '起始日期',
    to: '截止日期',
    apply: '查看',
    byWeek: '按周（ISO 周，北京时间）',
    allDepartments: '全部部门',
    medianFeedbackDays: '反馈用时中位数（工作日）',
    overdueOfWeek: '逾期任务（按任务创建周）',
    periodTable: '统计期间合计',
    deadLetters: '死信（按部门与原因）',
    noDeadLetters: '期间内没有死信',
    noDepartment: '无法确定部门（信用办）',
    errorCode: '原因代码',
    count: '数量',
    releases: '规则集发布时间线',
    noReleases: '期间内没有发布',
    version: '版本',
    status: '状态',
    at: '生效时间（草稿为创建时间）',
    author: '起草人',
    approver: '审批人',
    status_draft: '草稿',
    status_scheduled: '待生效',
    'status_in-force': '现行有效',
    status_superseded: '已被取代',
  },
  en: {
    from: 'From',
    to: 'To',
    apply: 'Show',
    byWeek: 'By week (ISO weeks, China time)',
    allDepartments: 'All departments',
    medianFeedbackDays: 'Median time to feedback (working days)',
    overdueOfWeek: 'Overdue tasks (by week created)',
    periodTable: 'Period totals',
    deadLetters: 'Dead letters by department and reason',
    noDeadLetters: 'No dead letters in the period',
    noDepartment: 'No department (credit office)',
    errorCode: 'Code',
    count: 'Count',
    releases: 'Rule-set releases on the timeline',
    noReleases: 'No releases in the period',
    version: 'Version',
    status: 'Status',
    at: 'Effective (a draft: created)',
    author: 'Author',
    approver: 'Approver',
    status_draft: 'Draft',
    status_scheduled: 'Scheduled',
    'status_in-force': 'In force',
    status_superseded: 'Superseded',
  },
} satisfies Record<Language, Record<string, string>>;

/** As libs/query's PerformanceReport gives each department (the overview's `performance` part). */
interface DepartmentPerformance {
  department: { code: string; name: { zh: string; en: string } };
  publication: { events: number; onTime: number; onTimeRate: number | null };
  tasks: { received: number; withFeedback: number; feedbackRate: number | null; medianTimeToFeedback: { workingDays: number | null }; overdue: number; overdueBacklog: number };
}
type Weekly = DistrictOverview['weekly'];
type DepartmentWeek = Weekly['departments'][number]['weeks'][number];

const FONT = '"Noto Sans CJK SC", "Noto Sans", sans-serif';
const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);
const percentPoint = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);
/** The charts over days share their x axis and margins, so that a release stands under the day it took effect. */
const DAY_GRID = { left: 56, right: 24 };
const DAY_CHARTS = 'district-days';
const WEEK_CHARTS = 'district-weeks';
/** ECharts' own palette, named here so that the one legend above the four weekly charts shows each department's colour. */
const PALETTE = ['#5470c6', '#91cc75', '#fac858', '#ee6666', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc'];
const CHINA_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const chinaDay = (instant: string) => CHINA_DAY.format(new Date(instant));
const chinaTime = (instant: string, language: Language) => new Date(instant).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: 'Asia/Shanghai', hour12: false });

/** Every China date from `from` to `to`, both included. */
function daysOf(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = Date.parse(`${from}T00:00:00Z`); day <= Date.parse(`${to}T00:00:00Z`) && days.length < 3660; day += 86_400_000) days.push(new Date(day).toISOString().slice(0, 10));
  return days;
}

/** The period asked for in the address (`/overview?from=…&to=…`), so that a reload or a shared link shows the same period. */
function periodInAddress(): { from: string; to: string } {
  const query = new URLSearchParams(location.search);
  return { from: query.get('from') ?? '', to: query.get('to') ?? '' };
}

/**
 * The credit office's first view: per department on-time publication, feedback rate, median
 * time to feedback and overdue tasks week by week, with the period's table beside them;
 * decisions a day with the releases on a timeline under them; dead letters by reason; list sizes.
 */
export function OverviewPage() {
  const { t, pick, language } = useLanguage();
  const text = TEXT[language];
  const [asked, setAsked] = useState(periodInAddress);
  const [form, setForm] = useState(asked);
  const [overview, setOverview] = useState<DistrictOverview | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string>('');
  useEffect(() => {
    setProblem(null);
    api.overview(asked).then(
      (answer) => {
        setOverview(answer);
        setForm({ ...answer.weekly.period });
      },
      (error: unknown) => setProblem(error instanceof ApiProblem ? `${error.code}: ${error.message}` : String(error)),
    );
  }, [asked]);

  const show = (event: FormEvent) => {
    event.preventDefault();
    history.replaceState(null, '', `/overview?${new URLSearchParams(form)}`);
    setAsked({ ...form });
  };

  const active = (d: DepartmentPerformance) => d.publication.events > 0 || d.tasks.received > 0 || d.tasks.overdueBacklog > 0;
  const departments = ((overview?.performance as { departments?: DepartmentPerformance[] } | undefined)?.departments ?? []).filter(active);
  const period = overview?.weekly.period;
  const weekly = overview?.weekly;
  const shownCodes = chosen ? [chosen] : departments.map((d) => d.department.code);
  const weeklyRows = (weekly?.departments ?? []).filter((d) => shownCodes.includes(d.department.code));
  const weekLabels = (weekly?.weeks ?? []).map((w) => `${w.week.slice(5)} ${w.from.slice(5)}`);

  const weeklyChart = (measure: (w: DepartmentWeek) => number | null, unit: '%' | '') =>
    weekly && {
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis', valueFormatter: (value: number | null) => (value === null || value === undefined ? '—' : `${value}${unit}`) },
      legend: { show: false },
      grid: { left: 48, right: 16, bottom: 28, top: 16 },
      xAxis: { type: 'category', data: weekLabels, boundaryGap: false },
      yAxis: unit === '%' ? { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } } : { type: 'value', min: 0, minInterval: 1 },
      series: weeklyRows.map((d) => ({ name: pick(d.department.name), type: 'line', color: colourOf(d.department.code), connectNulls: false, showSymbol: true, data: d.weeks.map(measure) })),
    };
  const colourOf = (code: string) => PALETTE[Math.max(0, departments.findIndex((d) => d.department.code === code)) % PALETTE.length];
  const onTimeChart = useChart(weeklyChart((w) => percentPoint(w.publication.onTimeRate), '%'), WEEK_CHARTS);
  const feedbackChart = useChart(weeklyChart((w) => percentPoint(w.tasks.feedbackRate), '%'), WEEK_CHARTS);
  const medianChart = useChart(weeklyChart((w) => w.tasks.medianTimeToFeedback.workingDays, ''), WEEK_CHARTS);
  const overdueChart = useChart(weeklyChart((w) => w.tasks.overdue, ''), WEEK_CHARTS);

  const days = period ? daysOf(period.from, period.to) : [];
  const memoranda = [...new Set((overview?.decisionsPerDay ?? []).map((d) => d.memorandumId))].sort();
  const decisionsChart = useChart(
    overview && {
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis' },
      legend: { data: memoranda, type: 'scroll', top: 4 },
      grid: { ...DAY_GRID, bottom: 32, top: 40 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series: memoranda.map((m) => ({ name: m, type: 'bar', stack: 'decisions', barMaxWidth: 48, data: days.map((day) => overview.decisionsPerDay.find((d) => d.day === day && d.memorandumId === m)?.decisions ?? 0) })),
    },
    DAY_CHARTS,
  );
  const releases = overview?.releases ?? [];
  const statuses = ['draft', 'scheduled', 'in-force', 'superseded'] as const;
  const releasesChart = useChart(
    overview && {
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: {
        trigger: 'item',
        formatter: (item: { data: { release: (typeof releases)[number] } }) => {
          const r = item.data.release;
          return `${text.version} ${r.version} · ${text[`status_${r.status}`]}<br/>${chinaTime(r.at, language)}<br/>${text.author}: ${r.author}${r.approver ? `<br/>${text.approver}: ${r.approver}` : ''}`;
        },
      },
      legend: { data: statuses.map((s) => text[`status_${s}`]), top: 0 },
      grid: { ...DAY_GRID, bottom: 32, top: 32 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1, name: text.version, nameGap: 8 },
      series: statuses.map((s) => ({
        name: text[`status_${s}`],
        type: 'scatter',
        symbolSize: 14,
        label: { show: true, position: 'top', formatter: (item: { data: { release: { version: number } } }) => `v${item.data.release.version}` },
        data: releases.filter((r) => r.status === s).map((r) => ({ value: [days.indexOf(chinaDay(r.at)), r.version], release: r })),
      })),
    },
    DAY_CHARTS,
  );
  const deadLetters = overview?.deadLetters ?? [];
  const departmentOf = (d: (typeof deadLetters)[number]) => (d.department ? pick(d.department.name) : text.noDepartment);
  const deadLetterDepartments = [...new Set(deadLetters.map(departmentOf))];
  const codes = [...new Set(deadLetters.map((d) => d.errorCode))].sort();
  const deadLettersChart = useChart(
    deadLetters.length > 0 && {
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis' },
      legend: { data: codes, type: 'scroll', top: 0 },
      grid: { left: 48, right: 16, bottom: 64, top: 36 },
      xAxis: { type: 'category', data: deadLetterDepartments, axisLabel: { interval: 0, rotate: 20 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: codes.map((code) => ({
        name: code,
        type: 'bar',
        stack: 'dead-letters',
        barMaxWidth: 40,
        data: deadLetterDepartments.map((name) => deadLetters.find((d) => departmentOf(d) === name && d.errorCode === code)?.deadLetters ?? 0),
      })),
    },
  );

  const periodForm = (
    <form className="period-picker" onSubmit={show}>
      <label>
        {text.from} <input type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} data-testid="period-from" />
      </label>
      <label>
        {text.to} <input type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} data-testid="period-to" />
      </label>
      <button type="submit" className="primary" data-testid="period-apply">
        {text.apply}
      </button>
    </form>
  );
  if (problem)
    return (
      <section>
        <h1>{t.overview}</h1>
        {periodForm}
        <p className="error" data-testid="overview-error">
          {problem}
        </p>
      </section>
    );
  if (!overview) return <p className="loading">{t.loading}</p>;
  return (
    <section>
      <h1>{t.overview}</h1>
      {periodForm}
      {period && (
        <p className="period" data-testid="overview-period">
          {t.period}: {period.from} – {period.to}
        </p>
      )}
      <h2>{t.performance}</h2>
      <div className="chart-and-table">
        <div>
          <div className="weekly-heading">
            <h3>{text.byWeek}</h3>
            <select value={chosen} onChange={(e) => setChosen(e.target.value)} data-testid="weekly-department">
              <option value="">{text.allDepartments}</option>
              {departments.map((d) => (
                <option key={d.department.code} value={d.department.code}>
                  {pick(d.department.name)}
                </option>
              ))}
            </select>
          </div>
          <ul className="legend" data-testid="weekly-legend">
            {weeklyRows.map((d) => (
              <li key={d.department.code}>
                <span className="swatch" style={{ background: colourOf(d.department.code) }} />
                {pick(d.department.name)}
              </li>
            ))}
          </ul>
          <div className="weekly-charts">
            <figure>
              <figcaption>{t.onTimeRate}</figcaption>
              <div className="chart small" ref={onTimeChart} data-testid="weekly-on-time-chart" />
            </figure>
            <figure>
              <figcaption>{t.feedbackRate}</figcaption>
              <div className="chart small" ref={feedbackChart} data-testid="weekly-feedback-chart" />
            </figure>
            <figure>
              <figcaption>{text.medianFeedbackDays}</figcaption>
              <div className="chart small" ref={medianChart} data-testid="weekly-median-chart" />
            </figure>
            <figure>
              <figcaption>{text.overdueOfWeek}</figcaption>
              <div className="chart small" ref={overdueChart} data-testid="weekly-overdue-chart" />
            </figure>
          </div>
        </div>
        <div>
          <h3>{text.periodTable}</h3>
          <table data-testid="performance-table">
            <thead>
              <tr>
                <th>{t.department}</th>
                <th>{t.events}</th>
                <th>{t.onTimeRate}</th>
                <th>{t.tasks}</th>
                <th>{t.feedbackRate}</th>
                <th>{t.medianFeedback}</th>
                <th>{t.overdue}</th>
              </tr>
            </thead>
            <tbody>
              {departments.map((d) => (
                <tr key={d.department.code}>
                  <td>{pick(d.department.name)}</td>
                  <td className="number">{d.publication.events}</td>
                  <td className="number">{percent(d.publication.onTimeRate)}</td>
                  <td className="number">{d.tasks.received}</td>
                  <td className="number">{percent(d.tasks.feedbackRate)}</td>
                  <td className="number">{d.tasks.medianTimeToFeedback.workingDays ?? '—'}</td>
                  <td className="number">{d.tasks.overdueBacklog}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <h2>{t.decisionsPerDay}</h2>
      {memoranda.length === 0 && <p>{t.noDecisions}</p>}
      <div className="chart wide" ref={decisionsChart} data-testid="decisions-chart" />
      <h2>{text.releases}</h2>
      <div className="chart timeline" ref={releasesChart} data-testid="releases-timeline" />
      {releases.length === 0 ? (
        <p>{text.noReleases}</p>
      ) : (
        <table data-testid="releases-timeline-table">
          <thead>
            <tr>
              <th>{text.version}</th>
              <th>{text.status}</th>
              <th>{text.at}</th>
              <th>{text.author}</th>
              <th>{text.approver}</th>
            </tr>
          </thead>
          <tbody>
            {releases.map((r) => (
              <tr key={r.version}>
                <td className="number">{r.version}</td>
                <td>{text[`status_${r.status}`]}</td>
                <td className="nowrap">{chinaTime(r.at, language)}</td>
                <td>{r.author}</td>
                <td>{r.approver ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{text.deadLetters}</h2>
      {deadLetters.length === 0 ? (
        <p data-testid="dead-letters-none">{text.noDeadLetters}</p>
      ) : (
        <div className="chart-and-table">
          <div className="chart" ref={deadLettersChart} data-testid="dead-letters-chart" />
          <table data-testid="dead-letters-table">
            <thead>
              <tr>
                <th>{t.department}</th>
                <th>{text.errorCode}</th>
                <th>{text.count}</th>
              </tr>
            </thead>
            <tbody>
              {deadLetters.map((d) => (
                <tr key={`${d.department?.code ?? ''} ${d.errorCode}`}>
                  <td>{departmentOf(d)}</td>
                  <td className="code">{d.errorCode}</td>
                  <td className="number">{d.deadLetters}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t.listSizes}</h2>
      <table data-testid="list-sizes-table">
        <tbody>
          {overview.lists.map((l) => (
            <tr key={l.listCode}>
              <td>{pick(l.name)}</td>
              <td className="number">{l.active}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

