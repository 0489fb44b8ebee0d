import type { LRParser } from '@lezer/lr';

// The package ships CommonJS beside ESM, but its types are declared as ESM only.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

/** Grafana's variables are not PromQL: a range variable becomes a duration, any other a plain word, before parsing. */
function withoutGrafanaVariables(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)\b/g, '5m').replace(/\$\{[^}]*\}|\$\w+/g, 'x');
}

/**
 * The metric names an expression selects, read from its syntax tree by Prometheus' own grammar
 * (@prometheus-io/lezer-promql); throws on an expression it cannot parse.
 */
export function metricNamesOf(expr: string): string[] {
  const text = withoutGrafanaVariables(expr);
  const names: string[] = [];
  const errors: number[] = [];
  parser.parse(text).iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.push(text.slice(node.from, node.to));
    },
  });
  if (errors.length > 0) throw new Error(`not PromQL at ${errors[0]}: ${text}`);
  return names;
}

/** The metric families of a /metrics answer (from its # TYPE lines), with the series names a histogram or summary adds. */
export function exposedSeriesNames(scrape: string): Set<string> {
  const names = new Set<string>();
  for (const match of scrape.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match;
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
  }
  return names;
}
