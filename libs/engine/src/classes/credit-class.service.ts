import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chinaDate, isSubjectKind, SubjectKind } from '@app/domain';
import { CreditClassChangedInput, creditClassChangedRecords } from '@app/decision-log';
import { CreditClassRepository, CreditClassWrite, DecisionRepository, StoredCreditClass, subjectKeyOf } from '@app/persistence';
import { CreditClassAssignment, CreditClassBasis, noStanding } from '@app/rules';
import { COMMITMENT_STANDING, CommitmentStanding } from './commitment-standing';
import { CreditClassCatalogue } from './credit-class-catalogue';
import { selfDisciplineStanding } from './self-discipline-standing';

/** A subject whose standing may have changed, and what changed it. The kind is known from the event or entry; otherwise from its stored class. */
export interface ClassSubject {
  idType: string;
  id: string;
  kind?: SubjectKind;
  causeKey: string;
}

/**
 * Recomputes subjects' classes in the transaction of whatever changed their standing (a decision,
 * a removal, repair or objection, an expiry), so a class never lags the record it explains. A
 * class that changes goes into the history and, for an organisation, to the departments the
 * model names (credit-class.changed); a recomputation that changes nothing writes nothing.
 */
@Injectable()
export class CreditClassService {
  /** The China day a backfill pass last found nobody left: every later change recomputes its own subjects, so it looks again only the next day. */
  private nothingLeftOn?: string;
  /** The China day the sweep last found no row of a model under a lower version: it looks again the next day (as the backfill does). */
  private readonly revisionsSweptOn = new Map<string, string>();

  constructor(
    private readonly catalogue: CreditClassCatalogue,
    private readonly classes: CreditClassRepository,
    private readonly decisions: DecisionRepository,
    @Inject(COMMITMENT_STANDING) private readonly commitments: CommitmentStanding,
  ) {}

  async recompute(manager: EntityManager, subjects: readonly ClassSubject[], now: Date): Promise<{ changed: number }> {
    if (this.catalogue.models.length === 0 || subjects.length === 0) return { changed: 0 };
    const bySubject = new Map<string, ClassSubject>();
    // The last cause about a subject in a batch is the one its class now follows.
    for (const s of subjects) bySubject.set(subjectKeyOf(s), { ...s, kind: s.kind ?? bySubject.get(subjectKeyOf(s))?.kind });
    const keys = [...bySubject.values()].sort((a, b) => subjectKeyOf(a).localeCompare(subjectKeyOf(b)));
    const stored = new Map<string, StoredCreditClass>();
    // A subject's kind as the cause gives it, else as its stored class row says: looked up by key, once a subject.
    const storedKinds = new Map<string, string>();
    for (const row of await this.classes.currentForUpdate(manager, keys)) {
      const key = subjectKeyOf({ idType: row.subjectIdType, id: row.subjectId });
      stored.set(`${row.modelId}|${key}`, row);
      storedKinds.set(key, row.subjectKind);
    }
    const kinds = new Map<string, SubjectKind>();
    for (const s of keys) {
      const known = s.kind ?? storedKinds.get(subjectKeyOf(s));
      if (isSubjectKind(known)) kinds.set(subjectKeyOf(s), known);
    }
    const kindOf = (s: ClassSubject): SubjectKind | undefined => kinds.get(subjectKeyOf(s));
    const classified = keys.filter((s) => {
      const kind = kindOf(s);
      return kind !== undefined && this.catalogue.models.some((m) => m.subjectKinds.includes(kind));
    });
    // A subject no model classifies (any more) keeps no date to look again: cleared with the
    // others' dates below, after currentForUpdate locked its rows in the one order.
    const unclassified = keys.filter((s) => !classified.includes(s)).map((s) => ({ idType: s.idType, id: s.id, dueOn: null }));
    if (classified.length === 0) {
      await this.classes.scheduleRecompute(manager, unclassified);
      return { changed: 0 };
    }
    const today = chinaDate(now);
    const standings = await this.classes.standings(manager, classified, today);
    const commitments = await this.commitments.countsFor(manager, classified, today);
    const sanctions = await this.classes.sanctions(manager, classified, today);

    const writes: CreditClassWrite[] = [];
    const records: CreditClassChangedInput[] = [];
    const due: { idType: string; id: string; dueOn: string | null }[] = [...unclassified];
    for (const subject of classified) {
      const kind = kindOf(subject)!;
      const key = subjectKeyOf(subject);
      const counts = commitments.get(key);
      const standing = standings.get(key);
      const discipline = selfDisciplineStanding(sanctions.get(key) ?? [], today, this.catalogue.sanctionPublicity);
      due.push({ idType: subject.idType, id: subject.id, dueOn: earliest(standing?.nextChangeOn ?? null, discipline.nextChangeOn) });
      const facts = { ...noStanding(kind), ...standing?.counts, 'commitments.broken': counts?.broken ?? 0, 'commitments.kept': counts?.kept ?? 0, ...discipline.facts };
      for (const model of this.catalogue.models.filter((m) => m.subjectKinds.includes(kind))) {
        const assignment = await this.catalogue.evaluators.get(model.id)!.evaluate(facts);
        const before = stored.get(`${model.id}|${key}`);
        const explanation = explanationOf(assignment);
        if (before && before.class === assignment.class && before.modelRevision === model.revision && sameJson(before.explanation, explanation)) continue;
        const previous: { class: string; basis: CreditClassBasis } = before ? { class: before.class, basis: before.basis } : { class: model.defaultClass, basis: 'default' };
        writes.push({
          modelId: model.id,
          subjectIdType: subject.idType,
          subjectId: subject.id,
          subjectKind: kind,
          class: assignment.class,
          basis: assignment.basis as CreditClassWrite['basis'],
          modelVersion: model.version,
          modelRevision: model.revision,
          explanation,
          asOf: today,
          causeKey: subject.causeKey,
          previousClass: before?.class ?? null,
          changed: before?.class !== assignment.class,
          at: now,
        });
        // Natural persons' classes are answered in their checks, never broadcast (PIPL 最小必要).
        if (previous.class !== assignment.class && subject.idType !== 'RESIDENT_ID') {
          records.push(...creditClassChangedRecords({ subject: { kind, id: subject.id }, previous, assignment, asOf: today, causeKey: subject.causeKey }, model.publishTo, now));
        }
      }
    }
    await this.classes.save(manager, writes);
    await this.classes.scheduleRecompute(manager, due);
    await this.decisions.saveFeedRecords(manager, records);
    return { changed: writes.filter((w) => w.changed).length };
  }

  /**
   * Classes that time alone changes, a batch in the caller's (short) transaction: first every
   * subject whose recompute_due_on has come (a fact entering or leaving its window: the class
   * must move that day), then, in what room is left, every subject classified under a lower
   * version of a model (its file changed since), which can wait a tick or two: a long version
   * sweep never starves the days due. Returns how many subjects it recomputed; fewer than
   * `limit`: nothing is left for now.
   */
  async sweep(manager: EntityManager, now: Date, limit = CLASS_BACKFILL_BATCH): Promise<number> {
    if (this.catalogue.models.length === 0) return 0;
    const today = chinaDate(now);
    const subjects = new Map<string, ClassSubject>();
    for (const s of await this.classes.dueForRecompute(manager, today, limit)) {
      // Even of a kind no longer known: recompute clears its date, or it would be due forever.
      subjects.set(subjectKeyOf(s), { idType: s.idType, id: s.id, kind: isSubjectKind(s.kind) ? s.kind : undefined, causeKey: `time/${today}` });
    }
    for (const model of this.catalogue.models) {
      if (this.revisionsSweptOn.get(model.id) === today || subjects.size >= limit) continue;
      const stale = await this.classes.classifiedUnderOlderVersion(manager, model.id, model.version, model.subjectKinds, limit - subjects.size);
      // A model changes with a restart (the file is read once), so once none is left, none comes back in this process but by a row written elsewhere.
      if (stale.length === 0) this.revisionsSweptOn.set(model.id, today);
      // One both due and stale is recomputed once, as due: it takes the new version all the same.
      for (const s of stale) if (isSubjectKind(s.kind) && !subjects.has(subjectKeyOf(s))) subjects.set(subjectKeyOf(s), { idType: s.idType, id: s.id, kind: s.kind, causeKey: `model-revision/${model.id}/${model.revision}` });
    }
    if (subjects.size === 0) return 0;
    // recompute stores each subject's next date (none for one no model classifies any more) after
    // locking its rows in order: an UPDATE of the dates here first would lock them in its own order
    // and could deadlock with an event's recompute of the same subjects.
    await this.recompute(manager, [...subjects.values()], now);
    return subjects.size;
  }

  /**
   * Classes for subjects listed before classes (or a model) existed, a batch at a time in the
   * lifecycle tick's transaction, until none is left (then once a day).
   */
  async backfill(manager: EntityManager, now: Date, limit = CLASS_BACKFILL_BATCH): Promise<number> {
    const today = chinaDate(now);
    if (this.nothingLeftOn === today) return 0;
    const subjects: ClassSubject[] = [];
    for (const model of this.catalogue.models) {
      if (subjects.length >= limit) break;
      for (const s of await this.classes.unclassified(manager, model.id, model.subjectKinds, today, limit - subjects.length)) {
        if (isSubjectKind(s.kind)) subjects.push({ idType: s.idType, id: s.id, kind: s.kind, causeKey: `backfill/${today}` });
      }
    }
    if (subjects.length === 0) this.nothingLeftOn = today;
    await this.recompute(manager, subjects, now);
    return subjects.length;
  }
}

/** Subjects classified a tick by the backfill: enough to catch up in minutes, small enough not to hold the tick's transaction long. */
export const CLASS_BACKFILL_BATCH = 500;

/** What a stored class keeps of its assignment: every fact, the rule and what it read, what else matched, the label. */
function explanationOf(assignment: CreditClassAssignment): Record<string, unknown> {
  return { label: assignment.label, basis: assignment.basis, rule: assignment.rule, alsoMatched: assignment.alsoMatched, facts: assignment.facts, model: assignment.model };
}

/** The earlier of two dates (YYYY-MM-DD), null for neither. */
function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/** jsonb gives keys back in its own order, so compare key-sorted. */
function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
