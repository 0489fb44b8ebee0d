import { writeFileSync } from 'node:fs';
import * as vega from 'vega';
import { compile, TopLevelSpec } from 'vega-lite';

/**
 * A grouped bar chart of one figure (throughput, latency, bytes…) across runs: what a section's
 * table says, drawn. Each section names its charts (BenchSection.charts); main.ts writes them as
 * bench-results/<section>.svg next to the JSON, and all of a run's charts as bench-results/bench.svg.
 */
export interface BarChart {
  title: string;
  /** The value axis, e.g. "decided events/s" or "p99 ms". */
  unit: string;
  bars: readonly { group: string; series: string; value: number }[];
  /** For figures that span orders of magnitude (rule engines). */
  logScale?: boolean;
}

function barSpec(chart: BarChart): object {
  const y = { field: 'value', type: 'quantitative', title: chart.unit, ...(chart.logScale ? { scale: { type: 'log' } } : {}) };
  return {
    title: chart.title,
    width: { step: 28 },
    height: 180,
    data: { values: chart.bars.filter((b) => Number.isFinite(b.value) && (!chart.logScale || b.value > 0)) },
    encoding: {
      x: { field: 'group', type: 'nominal', title: null, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', sort: null },
      y,
      color: { field: 'series', type: 'nominal', title: null, sort: null },
    },
    layer: [
      { mark: 'bar' },
      { mark: { type: 'text', dy: -4, fontSize: 9 }, encoding: { text: { field: 'value', type: 'quantitative', format: ',.4~r' } } },
    ],
  };
}

/** The charts as one SVG document (stacked), rendered without a browser or canvas. */
export async function chartsSvg(title: string, charts: readonly BarChart[]): Promise<string> {
  const spec = { $schema: 'https://vega.github.io/schema/vega-lite/v5.json', title, vconcat: charts.map(barSpec), config: { font: 'sans-serif' } } as unknown as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}

export async function writeCharts(file: string, title: string, charts: readonly BarChart[]): Promise<boolean> {
  if (charts.length === 0) return false;
  writeFileSync(file, await chartsSvg(title, charts));
  return true;
}
