import { createHash } from 'node:crypto';
import type { BilingualText } from '@app/domain';
import type { MeasureCategory, MemorandumKind, RecordedLegalBasis } from '@app/rules';

/**
 * What a measure says and rests on, as decided on one day: the memorandum it comes from, its
 * wording and its legal basis (the instrument versions in force that day). Identical for every
 * target, every decision of that memorandum version and day, and every department, so records
 * carry it by reference (`terms`, ≈ 1.4 KB less per measure) and subscribers resolve a reference
 * once: `GET /v1/measure-terms/{ref}` serves exactly the text the reference is the hash of.
 */
export interface MeasureTerms {
  memorandum: { id: string; version: string; kind?: MemorandumKind; documentNumber?: string; title?: BilingualText };
  code: string;
  category: MeasureCategory;
  text: BilingualText;
  legalBasis: RecordedLegalBasis[];
}

/** A reference to measure terms: `mt-` and the first 32 hex digits (128 bits) of the SHA-256 of their canonical text. */
export type MeasureTermsRef = `mt-${string}`;
export const MEASURE_TERMS_REF = /^mt-[0-9a-f]{32}$/;

/** Measure terms with their reference and the exact text it is the hash of (what is stored and served). */
export interface CanonicalMeasureTerms {
  ref: MeasureTermsRef;
  canonical: string;
  terms: MeasureTerms;
}

/** What measureTermsOf needs: a planned task's wording and basis, and its memorandum's heading on the decision day. */
export interface TermsSource {
  measureCode: string;
  category: MeasureCategory;
  text: BilingualText;
  legalBasis: readonly RecordedLegalBasis[];
}

/**
 * The terms of a task, rebuilt field by field in one fixed order (whatever order its source had,
 * e.g. read back from jsonb), so the same terms always give the same text and reference.
 */
export function measureTermsOf(task: TermsSource, memorandum: MeasureTerms['memorandum']): CanonicalMeasureTerms {
  const terms: MeasureTerms = {
    memorandum: {
      id: memorandum.id,
      version: memorandum.version,
      ...(memorandum.kind !== undefined ? { kind: memorandum.kind } : {}),
      ...(memorandum.documentNumber !== undefined ? { documentNumber: memorandum.documentNumber } : {}),
      ...(memorandum.title !== undefined ? { title: { zh: memorandum.title.zh, en: memorandum.title.en } } : {}),
    },
    code: task.measureCode,
    category: task.category,
    text: { zh: task.text.zh, en: task.text.en },
    legalBasis: task.legalBasis.map(({ instrument, article }) => ({
      instrument: { id: instrument.id, title: instrument.title, documentNumber: instrument.documentNumber, level: instrument.level, version: instrument.version },
      article,
    })),
  };
  const canonical = JSON.stringify(terms);
  return { ref: measureTermsRef(canonical), canonical, terms };
}

export function measureTermsRef(canonical: string): MeasureTermsRef {
  return `mt-${createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 32)}`;
}

export function isMeasureTermsRef(value: string): value is MeasureTermsRef {
  return MEASURE_TERMS_REF.test(value);
}
