import type { AuditChainBenchResult } from '../audit-chain.bench';
import type { CreditCheckBenchResult } from '../credit-check.bench';
import type { EventValidationResult } from '../event-validation.bench';
import type { PipelineBenchResult, PipelineRunFigures } from '../pipeline.bench';
import type { RecordSizeResult } from '../record-size.bench';
import type { RuleEvaluationBenchResult } from '../rule-evaluation.bench';
import type { BarChart } from './charts';

/** What each section's figures look like drawn: throughput and latency per run, side by side. */

export function pipelineCharts(result: PipelineBenchResult): BarChart[] {
  const runs = [result.ours, result.limit, result.paced, result.baseline].filter((r): r is PipelineRunFigures => !!r);
  return [
    { title: 'pipeline: decided events/s', unit: 'decided events/s', bars: runs.map((r) => ({ group: r.run, series: 'decided/s', value: r.decidedEventsPerSecond })) },
    {
      title: 'pipeline: latency (first send → first decision record), ms',
      unit: 'ms',
      logScale: true,
      bars: runs.flatMap((r) => [
        { group: r.run, series: 'p50', value: r.latency.p50Ms },
        { group: r.run, series: 'p99', value: r.latency.p99Ms },
      ]),
    },
    { title: 'pipeline: processor peak RSS, MB', unit: 'MB', bars: runs.flatMap((r) => (r.processor.peakRssMb === null ? [] : [{ group: r.run, series: 'peak RSS', value: r.processor.peakRssMb }])) },
  ];
}

export function ruleEvaluationCharts(result: RuleEvaluationBenchResult): BarChart[] {
  return [
    {
      title: 'rule evaluation: events/s by rule count',
      unit: 'events/s (log)',
      logScale: true,
      bars: result.ruleCounts.flatMap((r) => [
        { group: `${r.ruleCount} rules`, series: 'json-rules-engine', value: r.baseline.eventsPerSecond },
        { group: `${r.ruleCount} rules`, series: 'GoRules Zen', value: r.zen.eventsPerSecond },
        { group: `${r.ruleCount} rules`, series: 'ours', value: r.ours.eventsPerSecond },
      ]),
    },
  ];
}

export function creditCheckCharts(result: CreditCheckBenchResult): BarChart[] {
  const servers = [
    { group: 'query API (Fastify)', load: result.load },
    ...(result.express ? [{ group: 'query API (Express)', load: result.express.load }] : []),
    ...(result.bare ? [{ group: 'bare node:http + pg', load: result.bare.load }] : []),
  ];
  return [
    { title: 'credit check: requests/s', unit: 'requests/s', bars: servers.map((s) => ({ group: s.group, series: 'req/s', value: s.load.requestsPerSecond })) },
    {
      title: 'credit check: latency, ms',
      unit: 'ms',
      bars: servers.flatMap((s) => [
        { group: s.group, series: 'p50', value: s.load.latencyMs.p50 },
        { group: s.group, series: 'p99', value: s.load.latencyMs.p99 },
      ]),
    },
  ];
}

export function auditChainCharts(result: AuditChainBenchResult): BarChart[] {
  return [
    {
      title: 'audit insert: rows/s with and without the hash chain',
      unit: 'inserts/s',
      bars: result.inserts.flatMap((i) => [
        { group: `${i.connections} conn.`, series: 'plain', value: i.plainPerSecond },
        { group: `${i.connections} conn.`, series: 'chained', value: i.chainedPerSecond },
      ]),
    },
  ];
}

export function recordSizeCharts(result: RecordSizeResult): BarChart[] {
  return [
    {
      title: 'decision.issued records: bytes',
      unit: 'bytes',
      bars: [
        { group: 'per record', series: 'inline (v4)', value: result.inline.bytesPerRecord },
        { group: 'per record', series: 'by reference (v5)', value: result.byReference.bytesPerRecord },
        { group: 'per event', series: 'inline (v4)', value: result.inline.bytesPerEvent },
        { group: 'per event', series: 'by reference (v5)', value: result.byReference.bytesPerEvent },
      ],
    },
  ];
}

export function eventValidationCharts(result: EventValidationResult): BarChart[] {
  return [
    {
      title: 'event validation: events/s',
      unit: 'events/s',
      bars: result.corpora.flatMap((c) => [
        { group: `${c.corpus} corpus`, series: 'class-validator (reference)', value: c.referencePerSecond },
        { group: `${c.corpus} corpus`, series: 'compiled (ajv)', value: c.compiledPerSecond },
      ]),
    },
  ];
}
