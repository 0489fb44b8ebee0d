import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from '@app/domain';

/**
 * The draw of a random spot-check sample (双随机抽查: random subjects, then random inspectors),
 * stratified by credit class (信用分类监管): from each class's stratum of the population, the
 * ceil(ratio × stratum size) subjects with the lowest HMAC-SHA256(seed, subject id). The seed
 * comes from the server's CSPRNG after the population is fixed, so the caller cannot choose it;
 * anyone holding the seed and the population can redo the draw. That proves the drawn subjects
 * follow from them, not that the seed was not chosen by the server nor that the population was
 * complete: nothing is committed before the draw (see the README, "What the verification proves").
 */
export { DRAW_METHOD } from '@app/domain';

/** Ratios are kept in millionths so that ceil(ratio × n) is exact integer arithmetic (0.07 × 100 is 7, not 7.000000000000001). */
export const RATIO_SCALE = 1_000_000;

export type ClassBasis = 'rule' | 'otherwise' | 'default';

/** One subject of the population, in its current class. */
export interface PopulationMember {
  id: string;
  class: string;
  /** Stored class (`rule`, `otherwise`), or the model's default for a subject it never classified (`default`). */
  basis: ClassBasis;
}

export interface Stratum {
  class: string;
  inspectionRatio: number;
  population: number;
  sampleSize: number;
}

export interface DrawnSubject {
  id: string;
  class: string;
  /** HMAC-SHA256(seed, id), hex: the order the stratum was drawn in (lowest first). */
  rank: string;
}

export interface Draw {
  strata: Stratum[];
  drawn: DrawnSubject[];
}

/** ceil(ratio × n), exactly, for a ratio of at most six decimals. */
export function sampleSize(inspectionRatio: number, n: number): number {
  const millionths = Math.round(inspectionRatio * RATIO_SCALE);
  return Math.floor((millionths * n + RATIO_SCALE - 1) / RATIO_SCALE);
}

/** The rank of a subject under a seed (hex of 32 bytes): HMAC-SHA256 keyed by the seed's bytes over the id's UTF-8. */
export function rankOf(seedHex: string, id: string): string {
  return createHmac('sha256', Buffer.from(seedHex, 'hex')).update(id, 'utf8').digest('hex');
}

/**
 * SHA-256 of the population as canonical JSON: its members `{ id, class, basis }` sorted by id.
 * Stored with the sample, it pins what the draw was made from.
 */
export function populationDigest(population: readonly PopulationMember[]): string {
  const members = [...population].sort((a, b) => compare(a.id, b.id)).map(({ id, class: c, basis }) => ({ id, class: c, basis }));
  return `sha256:${createHash('sha256').update(canonicalJson(members)).digest('hex')}`;
}

/**
 * Draw from each stratum in the order of `ratios` (the model's classes). Deterministic in
 * (seed, population, ratios); the population's order does not matter. Every member's class
 * must have a ratio and ids must be unique: the caller guarantees both.
 */
export function drawSample(seedHex: string, population: readonly PopulationMember[], ratios: ReadonlyMap<string, number>): Draw {
  const byClass = new Map<string, { id: string; rank: string }[]>([...ratios.keys()].map((c) => [c, []]));
  for (const member of population) {
    const stratum = byClass.get(member.class);
    if (!stratum) throw new Error(`class "${member.class}" has no inspection ratio`);
    stratum.push({ id: member.id, rank: rankOf(seedHex, member.id) });
  }
  const strata: Stratum[] = [];
  const drawn: DrawnSubject[] = [];
  for (const [cls, inspectionRatio] of ratios) {
    const members = byClass.get(cls)!;
    const k = sampleSize(inspectionRatio, members.length);
    strata.push({ class: cls, inspectionRatio, population: members.length, sampleSize: k });
    // Ties need two ids with equal HMACs (never seen); the id breaks one anyway, so the order is total.
    members.sort((a, b) => compare(a.rank, b.rank) || compare(a.id, b.id));
    drawn.push(...members.slice(0, k).map(({ id, rank }) => ({ id, class: cls, rank })));
  }
  return { strata, drawn };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
