import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { compileCreditEventCheck, CreditEvent, Department, EventValidationError, parseCreditEvent, parseCreditEventFast, parseJson } from '@app/domain';
import { loadRuleSet } from '@app/rules';
import { CreditEventGenerator, Prng, vocabularyFromRules } from '@app/rules/testing';
import { bytesOf, mutate } from '../../test/support/event-mutations';
import { CORPUS_WEIGHTS } from './support/corpus';
import { fmt, formatGoals, Goal, ROOT, round, table } from './support/child-app';

export interface EventValidationOptions {
  /** Events of the pipeline corpus; the fuzz corpus mutates as many. */
  events: number;
  seed: number;
  /** Each path is timed until it has run at least this long on a corpus (alternating passes). */
  minMs: number;
  onProgress?: (line: string) => void;
}

interface CorpusFigures {
  corpus: 'pipeline' | 'fuzz';
  inputs: number;
  accepted: number;
  /** parseCreditEvent: class-validator, the reference. */
  referencePerSecond: number;
  /** parseCreditEventFast: the compiled (ajv) check, class-validator only for refusals. */
  compiledPerSecond: number;
  /** compiled ÷ reference. */
  ratio: number;
  /** Inputs whose event or refusal (code, message, violations) differ between the paths. */
  differences: number;
}

export interface EventValidationResult {
  benchmark: 'event-validation';
  generatedAt: string;
  options: Omit<EventValidationOptions, 'onProgress'>;
  /** Compiling the ajv check once, as the first admitted event does. */
  compileMs: number;
  corpora: CorpusFigures[];
  goals: Goal[];
  seconds: number;
}

type Parse = (value: unknown) => CreditEvent;

/**
 * The compiled path must be this much faster on the pipeline corpus (valid events, the hot
 * path). Both paths share the untrusted-JSON limits and the identifier parsing (twice: checked,
 * then normalised), a floor of about a third of the compiled path's time.
 */
const PIPELINE_RATIO_GOAL = 2;
/** A refusal costs the compiled check on top of class-validator's: at most a quarter more. */
const FUZZ_RATIO_GOAL = 0.8;

/**
 * Event validation as the engine admits events, both ways in one run on the same values:
 * class-validator (parseCreditEvent, the reference) and the compiled ajv check
 * (parseCreditEventFast), on the pipeline bench's corpus and on the fuzz tests' mutations of
 * it. JSON is parsed beforehand: only validation and building the event are timed.
 */
export function benchEventValidation(options: EventValidationOptions): EventValidationResult {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const departments = (JSON.parse(readFileSync(join(ROOT, 'config/departments.json'), 'utf8')) as { departments: Department[] }).departments;
  const ruleSet = loadRuleSet(join(ROOT, 'rules'), { knownDepartments: new Set(departments.map((d) => d.code)) });
  const generator = new CreditEventGenerator({ seed: options.seed, vocabulary: vocabularyFromRules(ruleSet.memoranda), eventTypeWeights: CORPUS_WEIGHTS, strayPublisherRate: 0.03 });
  const pipeline = generator.take(options.events);
  const prng = new Prng(options.seed);
  const fuzz = pipeline.flatMap((event) => {
    const mutated = mutate(event, prng);
    if ('value' in mutated) return [mutated.value];
    try {
      return [parseJson(bytesOf(mutated))];
    } catch {
      return []; // not JSON: refused before validation
    }
  });
  const compileStarted = process.hrtime.bigint();
  compileCreditEventCheck();
  const compileMs = round(Number(process.hrtime.bigint() - compileStarted) / 1e6, 1);
  const corpora = [measure('pipeline', pipeline, options.minMs, progress), measure('fuzz', fuzz, options.minMs, progress)];
  const [onPipeline, onFuzz] = corpora;
  const differences = corpora.reduce((sum, c) => sum + c.differences, 0);
  const goals: Goal[] = [
    {
      name: 'compiled event validation, pipeline corpus',
      target: `≥ ${PIPELINE_RATIO_GOAL}× class-validator`,
      measured: `${fmt(onPipeline.ratio, 2)}× (${fmt(onPipeline.compiledPerSecond)} vs ${fmt(onPipeline.referencePerSecond)} events/s)`,
      met: onPipeline.ratio >= PIPELINE_RATIO_GOAL,
    },
    {
      name: 'compiled event validation, fuzz corpus (mostly refusals, which class-validator words after the compiled check)',
      target: `≥ ${FUZZ_RATIO_GOAL}× class-validator`,
      measured: `${fmt(onFuzz.ratio, 2)}× (${fmt(onFuzz.compiledPerSecond)} vs ${fmt(onFuzz.referencePerSecond)} events/s)`,
      met: onFuzz.ratio >= FUZZ_RATIO_GOAL,
    },
    { name: 'same event or refusal as class-validator, both corpora', target: '0 differences', measured: `${fmt(differences)} of ${fmt(onPipeline.inputs + onFuzz.inputs)}`, met: differences === 0 },
  ];
  return {
    benchmark: 'event-validation',
    generatedAt: new Date().toISOString(),
    options: { events: options.events, seed: options.seed, minMs: options.minMs },
    compileMs,
    corpora,
    goals,
    seconds: round((Date.now() - started) / 1000, 1),
  };
}

function measure(corpus: CorpusFigures['corpus'], values: readonly unknown[], minMs: number, progress: (line: string) => void): CorpusFigures {
  // The first pass of each path warms it up and compares their answers.
  let differences = 0;
  let accepted = 0;
  for (const value of values) {
    const reference = outcome(parseCreditEvent, value);
    if (!(reference instanceof EventValidationError)) accepted++;
    if (!sameOutcome(reference, outcome(parseCreditEventFast, value))) differences++;
  }
  const elapsed = { reference: 0, compiled: 0 };
  const passes = { reference: 0, compiled: 0 };
  while (elapsed.reference < minMs || elapsed.compiled < minMs) {
    for (const [path, parse] of [['reference', parseCreditEvent], ['compiled', parseCreditEventFast]] as const) {
      elapsed[path] += timePass(parse, values);
      passes[path]++;
    }
  }
  const perSecond = (path: keyof typeof elapsed) => Math.round((values.length * passes[path]) / (elapsed[path] / 1000));
  const figures: CorpusFigures = {
    corpus,
    inputs: values.length,
    accepted,
    referencePerSecond: perSecond('reference'),
    compiledPerSecond: perSecond('compiled'),
    ratio: round(perSecond('compiled') / perSecond('reference'), 2),
    differences,
  };
  progress(`event-validation: ${corpus} corpus, ${fmt(values.length)} inputs: class-validator ${fmt(figures.referencePerSecond)} events/s, compiled ${fmt(figures.compiledPerSecond)} events/s`);
  return figures;
}

function timePass(parse: Parse, values: readonly unknown[]): number {
  const start = process.hrtime.bigint();
  for (const value of values) outcome(parse, value);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function outcome(parse: Parse, value: unknown): CreditEvent | EventValidationError {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof EventValidationError) return error;
    throw error;
  }
}

/** The same event (prototypes included), or a refusal with the same code, message and violations. */
function sameOutcome(a: CreditEvent | EventValidationError, b: CreditEvent | EventValidationError): boolean {
  if (a instanceof EventValidationError || b instanceof EventValidationError) {
    return a instanceof EventValidationError && b instanceof EventValidationError && a.code === b.code && a.message === b.message && isDeepStrictEqual(a.violations, b.violations);
  }
  return isDeepStrictEqual(a, b);
}

export function formatEventValidationTable(result: EventValidationResult): string {
  const row = (c: CorpusFigures) => [c.corpus, fmt(c.inputs), fmt(c.accepted), fmt(c.referencePerSecond), fmt(c.compiledPerSecond), `${fmt(c.ratio, 2)}×`, fmt(c.differences)];
  return [
    `event-validation: ${fmt(result.options.events)} pipeline-corpus events (seed ${result.options.seed}) and their fuzz mutations; ajv check compiled in ${fmt(result.compileMs)} ms`,
    table(['corpus', 'inputs', 'accepted', 'class-validator ev/s', 'compiled ev/s', 'ratio', 'differences'], result.corpora.map(row)),
    '',
    formatGoals(result.goals),
  ].join('\n');
}
