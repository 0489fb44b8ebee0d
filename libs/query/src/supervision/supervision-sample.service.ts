import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson, chinaDate, Clock, Department, InvalidIdentifierError, validateIdentifier } from '@app/domain';
import { CLOCK, CreditClassCatalogue } from '@app/engine';
import { ClassifiedOrganisation, SupervisionSampleRepository, SupervisionSampleRow, SupervisionSampleSummary } from '@app/persistence';
import { AUDITED_ENDPOINTS, normaliseUserId, QueryAuditService } from '../audit/query-audit.service';
import { UUID } from '../paging/cursor-instant';
import { DRAW_METHOD, drawSample, PopulationMember, populationDigest, Stratum } from './spot-check-draw';
import { ClassPlan, SupervisionPlan } from './supervision-config';
import { Frequency, InspectionPeriod, opensPeriodOf, parsePeriod, periodContaining } from './supervision-period';
import { parseSampleRequest } from './supervision-sample.dto';
import { SupervisionPlans } from './supervision-plans';
import { SupervisionError } from './supervision.errors';

/** Organisations a sample may be drawn from: a district's market has tens of thousands. */
export const MAX_POPULATION = 50_000;
const MAX_LIST = 100;

export interface SampleView {
  id: string;
  department: string;
  model: { id: string; version: string; revision: string };
  period: { name: string; frequency: Frequency; from: string; to: string };
  method: typeof DRAW_METHOD;
  /** The server's random seed (hex of 32 bytes), made after the population was fixed; stored with the draw, committed nowhere before it. */
  seed: string;
  population: {
    /** SHA-256 of the population (members { id, class, basis } sorted by id) as canonical JSON. */
    digest: string;
    total: number;
    /** From the request's list, and from the model's classified organisations (a code in both counts in both). */
    listed: number;
    classified: number;
    /** Subjects the model never classified, put in its default class. */
    defaultClass: { class: string; count: number };
  };
  /** Per class of the model: its ratio and frequency, whether this period's sample draws it (`due`), its population and sampleSize = due ? ceil(ratio × population) : 0. */
  strata: SupervisionSampleRow['strata'];
  /** In draw order: each class's stratum, lowest rank first. `subjectId` is a unified social credit code. */
  drawn: { subjectId: string; class: string; basis: PopulationMember['basis']; rank: string }[];
  drawnBy: string | null;
  drawnAt: string;
}

export type SampleSummaryView = Omit<SampleView, 'seed' | 'drawn' | 'population'> & { population: { digest: string; listed: number; classified: number }; drawnCount: number };

export interface SampleVerification {
  sampleId: string;
  method: typeof DRAW_METHOD;
  seed: string;
  /** True when the stored population hashes to the stored digest and the draw redone from seed and population is the stored one. */
  reproducible: boolean;
  populationDigest: { stored: string; recomputed: string; matches: boolean };
  /** Per class, recomputed: due in the period by its frequency, and the sample size. */
  strata: { matches: boolean; recomputed: SampleView['strata'] };
  /** SHA-256 of the drawn subjects ({ id, class, rank } in draw order) as canonical JSON. */
  drawn: { stored: string; recomputed: string; count: number; matches: boolean };
  /** Whether the ratios drawn with are the department's plan in force now (false after the plan changed: the sample is still what it was). */
  ratiosInForce: boolean;
}

/**
 * Differentiated supervision (信用分类监管): a department draws one random spot-check sample
 * (双随机抽查) per credit class model and period from the organisations under its supervision,
 * each in its current class, at its plan's ratio per class. The seed is the server's, the draw is
 * stored with its population, and a second draw for the period is refused: the department cannot
 * draw until it likes the result. Redoing the draw shows the subjects follow from the stored seed
 * and population; the population is whatever the department sent (its digest stored).
 */
@Injectable()
export class SupervisionSampleService {
  constructor(
    private readonly plans: SupervisionPlans,
    private readonly classModels: CreditClassCatalogue,
    private readonly repository: SupervisionSampleRepository,
    private readonly audit: QueryAuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async draw(department: Department, body: unknown, userId?: string): Promise<SampleView> {
    const dto = parseSampleRequest(body);
    const drawnBy = normaliseUserId(userId);
    const now = this.clock.now();
    const plan = this.planOf(department, dto.model);
    const model = this.classModels.model(plan.model)!;
    const period = openPeriod(plan, dto.period, chinaDate(now));
    const listed = organisations(dto.population.subjects ?? [], now);
    const includeClassified = dto.population.includeClassified === true;
    if (listed.length === 0 && !includeClassified) {
      throw new SupervisionError('SUPERVISION.EMPTY_POPULATION', 'the population is empty: list your inspection directory in population.subjects, or set population.includeClassified', {});
    }

    const stored = await this.repository.classesOf(model.id, listed, includeClassified, MAX_POPULATION + 1);
    refuseStaleClasses(stored, model, plan);
    const members = new Map<string, PopulationMember>(stored.map((row) => [row.id, { id: row.id, class: row.class, basis: row.basis }]));
    const classified = includeClassified ? stored.length : 0;
    // A listed organisation the model never classified is in its default class, said so by `basis`.
    for (const id of listed) if (!members.has(id)) members.set(id, { id, class: model.defaultClass, basis: 'default' });
    if (members.size > MAX_POPULATION || stored.length > MAX_POPULATION) {
      throw new SupervisionError('SUPERVISION.POPULATION_TOO_LARGE', `the population has more than ${MAX_POPULATION} organisations; draw from your inspection directory instead`, { limit: MAX_POPULATION });
    }
    if (members.size === 0) {
      throw new SupervisionError('SUPERVISION.EMPTY_POPULATION', `${model.id} has classified no organisation yet and no subjects were listed`, { model: model.id });
    }
    const population = [...members.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    // The seed is made after the population is fixed, by the server: the caller cannot aim the draw with it.
    const seed = randomBytes(32).toString('hex');
    const planned = planStrata(plan.classes, period);
    const { strata: counted, drawn } = drawSample(seed, population, effectiveRatios(planned));
    const result = await this.repository.insert({
      department: department.code,
      modelId: model.id,
      modelVersion: model.version,
      modelRevision: model.revision,
      period: period.name,
      frequency: plan.frequency,
      method: DRAW_METHOD,
      seed,
      populationDigest: populationDigest(population),
      population,
      populationSources: { listed: listed.length, classified },
      strata: withCounts(planned, counted),
      drawn,
      drawnBy,
      drawnAt: now,
    });
    if ('existing' in result) {
      throw new SupervisionError('SUPERVISION.ALREADY_DRAWN', `${department.code} already drew its ${model.id} sample for ${period.name} (${result.existing}); a period has one sample`, {
        sampleId: result.existing,
        model: model.id,
        period: period.name,
      });
    }
    const view = toView(result.row, model.defaultClass);
    return this.audit.logRead({ department: department.code, userId: drawnBy ?? undefined }, AUDITED_ENDPOINTS.supervisionSampleDraw, view, view.drawn.length, `spot-check sample ${model.id} ${period.name}`);
  }

  /** The department's own sample; it names the drawn subjects, so the read is logged first. */
  async read(department: Department, id: string, userId?: string): Promise<SampleView> {
    // Refused before reading: a header the audit row cannot hold fails the request, not its log.
    const reader = normaliseUserId(userId);
    const row = await this.own(department, id);
    const view = toView(row, this.classModels.model(row.modelId)?.defaultClass ?? null);
    return this.audit.logRead({ department: department.code, userId: reader ?? undefined }, AUDITED_ENDPOINTS.supervisionSample, view, view.drawn.length, `spot-check sample ${row.modelId} ${row.period}`);
  }

  /** Redo the draw from the stored seed and population; names no subject, so it is not logged. */
  async verify(department: Department, id: string): Promise<SampleVerification> {
    const row = await this.own(department, id);
    const period = parsePeriod(row.period)!;
    const planned = planStrata(new Map(row.strata.map((s) => [s.class, { inspectionRatio: s.inspectionRatio, frequency: s.frequency }])), period);
    const recomputedDigest = populationDigest(row.population);
    const redraw = drawSample(row.seed, row.population, effectiveRatios(planned));
    const recomputedStrata = withCounts(planned, redraw.strata);
    const storedDrawn = digestOf(row.drawn.map(({ id: subject, class: cls, rank }) => ({ id: subject, class: cls, rank })));
    const recomputedDrawn = digestOf(redraw.drawn);
    const strataMatch = canonicalJson(recomputedStrata) === canonicalJson(row.strata);
    const plan = this.plans.ofDepartment(department.code).find((p) => p.model === row.modelId);
    const ratiosInForce = plan !== undefined && plan.frequency === row.frequency && canonicalJson([...plan.classes].map(([c, p]) => [c, p.inspectionRatio, p.frequency])) === canonicalJson(row.strata.map((s) => [s.class, s.inspectionRatio, s.frequency]));
    const digestMatches = recomputedDigest === row.populationDigest;
    return {
      sampleId: row.id,
      method: row.method,
      seed: row.seed,
      reproducible: digestMatches && strataMatch && storedDrawn === recomputedDrawn && row.method === DRAW_METHOD,
      populationDigest: { stored: row.populationDigest, recomputed: recomputedDigest, matches: digestMatches },
      strata: { matches: strataMatch, recomputed: recomputedStrata },
      drawn: { stored: storedDrawn, recomputed: recomputedDrawn, count: row.drawn.length, matches: storedDrawn === recomputedDrawn },
      ratiosInForce,
    };
  }

  /** The department's samples (without subjects), newest period first; one period's with `period`. */
  async list(department: Department, period: string | undefined): Promise<{ samples: SampleSummaryView[] }> {
    if (period !== undefined && period !== '' && parsePeriod(period) === null) throw badPeriod(period, null);
    const rows = await this.repository.listForDepartment(department.code, period || null, MAX_LIST);
    return { samples: rows.map(toSummary) };
  }

  private planOf(department: Department, model: string | undefined): SupervisionPlan {
    const plans = this.plans.ofDepartment(department.code);
    if (plans.length === 0) {
      throw new SupervisionError('SUPERVISION.NOT_CONFIGURED', `${department.code} has no supervision plan (SUPERVISION_FILE): it draws no spot-check samples here`, { department: department.code });
    }
    if (model === undefined) {
      if (plans.length === 1) return plans[0];
      throw new SupervisionError('SUPERVISION.MODEL_REQUIRED', `${department.code} supervises by several models; name one in model: ${plans.map((p) => p.model).join(', ')}`, { models: plans.map((p) => p.model) });
    }
    const plan = plans.find((p) => p.model === model);
    if (plan) return plan;
    throw new SupervisionError('SUPERVISION.UNKNOWN_MODEL', `${department.code} has no supervision plan for model "${model}"; its models: ${plans.map((p) => p.model).join(', ')}`, { model, models: plans.map((p) => p.model) });
  }

  private async own(department: Department, id: string): Promise<SupervisionSampleRow> {
    // Only a well-formed id is echoed back.
    if (!UUID.test(id)) throw new SupervisionError('SUPERVISION.NOT_FOUND', 'no sample with that id (sample ids are UUIDs)');
    const row = await this.repository.find(id);
    if (!row) throw new SupervisionError('SUPERVISION.NOT_FOUND', `no sample ${id}`, { sampleId: id });
    if (row.department !== department.code) throw new SupervisionError('SUPERVISION.NOT_OWN_SAMPLE', `sample ${id} was drawn by another department; only it reads it`, { sampleId: id });
    return row;
  }
}

/** Seconds a draw refused for stale classes should wait: the engine's lifecycle tick (LIFECYCLE_INTERVAL_MS default) sweeps them. */
export const STALE_CLASSES_RETRY_SECONDS = 60;

/**
 * Every stored class must be of the model's current revision and a class of the plan: a class
 * given under an edited model file may be one the model no longer has (no stratum to draw it
 * from), or a different class than the current rules give. The engine's revision sweep
 * reclassifies such subjects; until then the draw is refused rather than made from stale classes.
 */
function refuseStaleClasses(stored: readonly ClassifiedOrganisation[], model: { id: string; revision: string }, plan: SupervisionPlan): void {
  const otherRevision = stored.filter((row) => row.modelRevision !== model.revision).length;
  const unplanned = [...new Set(stored.filter((row) => !plan.classes.has(row.class)).map((row) => row.class))];
  if (otherRevision === 0 && unplanned.length === 0) return;
  throw new SupervisionError(
    'SUPERVISION.CLASSES_STALE',
    [
      otherRevision > 0 ? `${otherRevision} organisation(s) of the population are classified under an earlier revision of ${model.id}` : '',
      unplanned.length > 0 ? `stored classes the plan does not have: ${unplanned.join(', ')}` : '',
    ].filter(Boolean).join('; ') + `; the engine reclassifies them under ${model.revision}: retry in ${STALE_CLASSES_RETRY_SECONDS} seconds`,
    { model: model.id, revision: model.revision, otherRevision, unplannedClasses: unplanned, retryAfterSeconds: STALE_CLASSES_RETRY_SECONDS },
  );
}

type PlannedStratum = Omit<SupervisionSampleRow['strata'][number], 'population' | 'sampleSize'>;

/** Each class of the plan in the period: due when the period opens a period of the class's frequency (every period for the plan's own). */
function planStrata(classes: ReadonlyMap<string, ClassPlan>, period: InspectionPeriod): PlannedStratum[] {
  return [...classes].map(([cls, { inspectionRatio, frequency }]) => ({ class: cls, inspectionRatio, frequency, due: opensPeriodOf(period, frequency) }));
}

/** The ratio each stratum is drawn at this period: its own when due, else none. */
function effectiveRatios(strata: readonly PlannedStratum[]): Map<string, number> {
  return new Map(strata.map((s) => [s.class, s.due ? s.inspectionRatio : 0]));
}

function withCounts(strata: readonly PlannedStratum[], counted: readonly Stratum[]): SupervisionSampleRow['strata'] {
  return strata.map((s, i) => ({ ...s, population: counted[i].population, sampleSize: counted[i].sampleSize }));
}

/** The period named, of the plan's frequency, not ended and at most the next one: no draw after the fact, none long before. */
function openPeriod(plan: SupervisionPlan, name: string, today: string): InspectionPeriod {
  const period = parsePeriod(name);
  if (!period || period.frequency !== plan.frequency) throw badPeriod(name, plan);
  const current = periodContaining(plan.frequency, today);
  if (period.ordinal < current.ordinal || period.ordinal > current.ordinal + 1) {
    throw new SupervisionError('SUPERVISION.PERIOD_NOT_OPEN', `${period.name} is ${period.ordinal < current.ordinal ? 'over' : 'too far ahead'}: a sample is drawn for the current period (${current.name}) or the next`, {
      period: period.name,
      current: current.name,
    });
  }
  return period;
}

function badPeriod(name: string, plan: SupervisionPlan | null): SupervisionError {
  const shape = plan ? { month: '2026-11', quarter: '2026-Q4', 'half-year': '2026-H2', year: '2026' }[plan.frequency] : '2026, 2026-H2, 2026-Q4 or 2026-11';
  return new SupervisionError('SUPERVISION.BAD_PERIOD', `period "${name.slice(0, 16)}" is not ${plan ? `a ${plan.frequency} of ${plan.model}'s plan, written like ${shape}` : `a period (${shape})`}`, {
    period: name.slice(0, 16),
    ...(plan ? { frequency: plan.frequency } : {}),
  });
}

/** The listed codes as validated unified social credit codes: organisations only, each once. */
function organisations(raw: readonly string[], now: Date): string[] {
  const seen = new Map<string, number>();
  return raw.map((code, index) => {
    let id: string;
    try {
      id = validateIdentifier('USCC', code, { today: now }).value;
    } catch (error) {
      // The position, never the value: the list may hold a natural person's resident ID typed by mistake.
      if (error instanceof InvalidIdentifierError) {
        throw new InvalidIdentifierError(error.code, `population.subjects[${index}] is not a valid unified social credit code (${error.code}); samples are of organisations only`, { idType: 'USCC', index });
      }
      throw error;
    }
    const first = seen.get(id);
    if (first !== undefined) {
      throw new SupervisionError('SUPERVISION.DUPLICATE_SUBJECT', `population.subjects[${index}] repeats population.subjects[${first}] (${id}); list each organisation once`, { index, firstIndex: first, subject: id });
    }
    seen.set(id, index);
    return id;
  });
}

function digestOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value)).digest('hex')}`;
}

function toView(row: SupervisionSampleRow, defaultClass: string | null): SampleView {
  const basis = new Map(row.population.map((m) => [m.id, m.basis]));
  const period = parsePeriod(row.period)!;
  return {
    id: row.id,
    department: row.department,
    model: { id: row.modelId, version: row.modelVersion, revision: row.modelRevision },
    period: { name: row.period, frequency: row.frequency, from: period.from, to: period.to },
    method: row.method,
    seed: row.seed,
    population: {
      digest: row.populationDigest,
      total: row.population.length,
      listed: row.populationSources.listed,
      classified: row.populationSources.classified,
      defaultClass: { class: defaultClass ?? '', count: row.population.filter((m) => m.basis === 'default').length },
    },
    strata: row.strata,
    drawn: row.drawn.map((d) => ({ subjectId: d.id, class: d.class, basis: basis.get(d.id) ?? 'default', rank: d.rank })),
    drawnBy: row.drawnBy,
    drawnAt: row.drawnAt,
  };
}

function toSummary(row: SupervisionSampleSummary): SampleSummaryView {
  const period = parsePeriod(row.period)!;
  return {
    id: row.id,
    department: row.department,
    model: { id: row.modelId, version: row.modelVersion, revision: row.modelRevision },
    period: { name: row.period, frequency: row.frequency, from: period.from, to: period.to },
    method: row.method,
    population: { digest: row.populationDigest, ...row.populationSources },
    strata: row.strata,
    drawnCount: row.strata.reduce((n, s) => n + s.sampleSize, 0),
    drawnBy: row.drawnBy,
    drawnAt: row.drawnAt,
  };
}
