import type { LegalBasis, MeasureDefinition, MemorandumKind } from './memorandum';
import type { RuleFinding } from './rule-set.errors';

/**
 * Levels of legal instruments (效力层级), highest first. `judicial-interpretation` (司法解释,
 * 法释〔…〕号) is its own level: the Supreme People's Court's provisions on the list of
 * dishonest judgment debtors and on restricting high consumption have legal force under the
 * Legislation Law but are neither laws, administrative regulations nor departmental rules,
 * and the judgment-debtor sanctions rest on them.
 */
export const INSTRUMENT_LEVELS = [
  'law',
  'administrative-regulation',
  'judicial-interpretation',
  'departmental-rule',
  'central-normative-document',
  'local-normative-document',
] as const;

export type InstrumentLevel = (typeof INSTRUMENT_LEVELS)[number];

/**
 * Whether an instrument of `level` can by itself found a measure of `kind`. Sanctions need a
 * law, an administrative regulation or central policy; a local normative document cannot create one (2021 全国失信惩戒措施基础清单, preamble). Incentives may rest on any level.
 */
export function levelSuffices(kind: MemorandumKind, level: InstrumentLevel): boolean {
  return kind === 'incentive' || level !== 'local-normative-document';
}

/** One instrument of the published catalogue (rules/instruments.json), in the version cited. */
export interface Instrument {
  /** Kebab-case id that rule files cite. */
  id: string;
  title: { zh: string; en?: string };
  /** 文号, e.g. 国发〔2016〕33号; absent for laws, which are cited by title. */
  documentNumber?: string;
  issuingBody: string;
  level: InstrumentLevel;
  /** First day the cited version is in force (YYYY-MM-DD). */
  inForceFrom: string;
  /** The version cited, e.g. "2014年修订". */
  version: string;
  /** Day the cited version was adopted by amendment or revision. */
  amendedOn?: string;
  /** First day the instrument is no longer in force: from this day it is no basis. */
  repealedOn?: string;
  /** Id of the instrument that replaces it. */
  supersededBy?: string;
  /** What the catalogue's editors could not verify, or why an entry is as it is. */
  note?: string;
}

export interface InstrumentCatalogueFile {
  $schema: string;
  $comment?: string;
  instruments: Instrument[];
}

/** The catalogue of instruments a rule set was built with: only these may be a basis (利州方案 三(一)). */
export class InstrumentCatalogue {
  private readonly byId: ReadonlyMap<string, Instrument>;

  constructor(readonly instruments: readonly Instrument[]) {
    this.byId = new Map(instruments.map((instrument) => [instrument.id, instrument]));
    Object.freeze(this);
  }

  get(id: string): Instrument | undefined {
    return this.byId.get(id);
  }
}

/** In force from `inForceFrom` up to the day before `repealedOn`. */
export function isInForceOn(instrument: Instrument, date: string): boolean {
  return instrument.inForceFrom <= date && (instrument.repealedOn === undefined || date < instrument.repealedOn);
}

/**
 * The citations of a measure a decision on `date` may rely on: those whose instrument is in
 * force that day. A repealed instrument is left out; the measure keeps the others as long as
 * one of them is of a level that may found it (a sanction left with only local normative
 * documents has no basis). Empty when the measure may not fire that day.
 */
export function basisInForceOn(measure: MeasureDefinition, kind: MemorandumKind, date: string): LegalBasis[] {
  const inForce = measure.legalBasis.filter((basis) => isInForceOn(basis.instrument, date));
  return inForce.some((basis) => levelSuffices(kind, basis.instrument.level)) ? inForce : [];
}

export function hasBasisInForceOn(measure: MeasureDefinition, kind: MemorandumKind, date: string): boolean {
  return basisInForceOn(measure, kind, date).length > 0;
}

/** A citation as decisions record it: the instrument version relied on, compactly, and the article. */
export interface RecordedLegalBasis {
  instrument: { id: string; title: string; documentNumber: string | null; level: InstrumentLevel; version: string };
  article: string;
}

export function recordLegalBasis({ instrument, article }: LegalBasis): RecordedLegalBasis {
  return {
    instrument: { id: instrument.id, title: instrument.title.zh, documentNumber: instrument.documentNumber ?? null, level: instrument.level, version: instrument.version },
    article,
  };
}

/** The legal basis a decision on `date` records for a measure (see `basisInForceOn`). */
export function recordedBasisOn(measure: MeasureDefinition, kind: MemorandumKind, date: string): RecordedLegalBasis[] {
  return basisInForceOn(measure, kind, date).map(recordLegalBasis);
}

export type CatalogueProblem = RuleFinding;

/** Consistency the schema cannot express: unique ids, successors that exist, repeal after entry into force. */
export function checkCatalogue(instruments: readonly Instrument[]): CatalogueProblem[] {
  const problems: CatalogueProblem[] = [];
  const ids = new Set(instruments.map((instrument) => instrument.id));
  const seen = new Set<string>();
  instruments.forEach((instrument, i) => {
    const at = `$.instruments[${i}]`;
    if (seen.has(instrument.id)) problems.push({ path: `${at}.id`, code: 'RULES.INCONSISTENT_CATALOGUE', message: `instrument id "${instrument.id}" is used twice` });
    seen.add(instrument.id);
    if (instrument.supersededBy !== undefined && (instrument.supersededBy === instrument.id || !ids.has(instrument.supersededBy))) {
      problems.push({ path: `${at}.supersededBy`, code: 'RULES.INCONSISTENT_CATALOGUE', message: `instrument "${instrument.id}" is superseded by "${instrument.supersededBy}", which is no other instrument of the catalogue` });
    }
    if (instrument.repealedOn !== undefined && instrument.repealedOn <= instrument.inForceFrom) {
      problems.push({ path: `${at}.repealedOn`, code: 'RULES.INCONSISTENT_CATALOGUE', message: `instrument "${instrument.id}" is repealed on ${instrument.repealedOn}, not after it came into force on ${instrument.inForceFrom}` });
    }
  });
  return problems;
}
