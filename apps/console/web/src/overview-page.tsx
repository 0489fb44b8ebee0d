import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { api, DistrictOverview } from './api';
import { useLanguage } from './i18n';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** As libs/query's PerformanceReport gives each department (the overview's `performance` part). */
interface DepartmentPerformance {
  department: { code: string; name: { zh: string; en: string } };
  publication: { events: number; onTime: number; onTimeRate: number | null };
  tasks: { received: number; withFeedback: number; feedbackRate: number | null; medianTimeToFeedback: { workingDays: number | null }; overdue: number; overdueBacklog: number };
}

const FONT = '"Noto Sans CJK SC", "Noto Sans", sans-serif';
const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)}%`);

/** The credit office's first view: per department on-time publication and feedback (chart and table), decisions a day, list sizes. */
export function OverviewPage() {
  const { t, pick } = useLanguage();
  const [overview, setOverview] = useState<DistrictOverview | null>(null);
  useEffect(() => {
    void api.overview().then(setOverview);
  }, []);
  const departments = ((overview?.performance as { departments?: DepartmentPerformance[] } | undefined)?.departments ?? []).filter((d) => d.publication.events > 0 || d.tasks.received > 0 || d.tasks.overdueBacklog > 0);
  const period = overview?.performance as { period?: { from: string; to: string } } | undefined;

  const performanceChart = useChart(
    overview && {
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis' },
      legend: { data: [t.onTimeRate, t.feedbackRate], top: 4 },
      grid: { left: 48, right: 16, bottom: 64, top: 40 },
      xAxis: { type: 'category', data: departments.map((d) => pick(d.department.name)), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { name: t.onTimeRate, type: 'bar', barMaxWidth: 32, data: departments.map((d) => (d.publication.onTimeRate === null ? null : Math.round(d.publication.onTimeRate * 100))) },
        { name: t.feedbackRate, type: 'bar', barMaxWidth: 32, data: departments.map((d) => (d.tasks.feedbackRate === null ? null : Math.round(d.tasks.feedbackRate * 100))) },
      ],
    },
  );
  const days = [...new Set((overview?.decisionsPerDay ?? []).map((d) => d.day))].sort();
  const memoranda = [...new Set((overview?.decisionsPerDay ?? []).map((d) => d.memorandumId))].sort();
  const decisionsChart = useChart(
    overview && days.length > 0 && {
      animation: false,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: 'axis' },
      legend: { data: memoranda, type: 'scroll', top: 4 },
      grid: { left: 48, right: 16, bottom: 32, top: 40 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series: memoranda.map((m) => ({ name: m, type: 'bar', stack: 'decisions', barMaxWidth: 48, data: days.map((day) => overview.decisionsPerDay.find((d) => d.day === day && d.memorandumId === m)?.decisions ?? 0) })),
    },
  );

  if (!overview) return <p className="loading">{t.loading}</p>;
  return (
    <section>
      <h1>{t.overview}</h1>
      {period?.period && (
        <p className="period">
          {t.period}: {period.period.from} – {period.period.to}
        </p>
      )}
      <h2>{t.performance}</h2>
      <div className="chart-and-table">
        <div className="chart" ref={performanceChart} data-testid="performance-chart" />
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
      <h2>{t.decisionsPerDay}</h2>
      {days.length ? <div className="chart wide" ref={decisionsChart} data-testid="decisions-chart" /> : <p>{t.noDecisions}</p>}
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

/** An echarts instance on the returned element, redrawn when the option changes and disposed with the element. */
function useChart(option: echarts.EChartsCoreOption | null | false | undefined) {
  const element = useRef<HTMLDivElement>(null);
  const serialized = option ? JSON.stringify(option) : '';
  useEffect(() => {
    if (!element.current || !option) return;
    const chart = echarts.init(element.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      chart.dispose();
    };
    // The option is rebuilt each render; its content decides.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [serialized]);
  return element;
}
