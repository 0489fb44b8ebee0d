import type { EntityManager } from 'typeorm';
import { CommitmentRepository } from '@app/persistence';

/** Credit commitments (信用承诺) of a subject as class rules count them: `commitments.broken` and `commitments.kept`. */
export interface CommitmentCounts {
  broken: number;
  kept: number;
}

/**
 * Where class facts read commitments from: the recorded commitments (credit_commitment), in the
 * caller's transaction so a breach and the class it causes commit together.
 */
export interface CommitmentStanding {
  /** Counts by `idType/id` on the China date `today`; a subject absent from the map has none. */
  countsFor(manager: EntityManager, subjects: readonly { idType: string; id: string }[], today: string): Promise<ReadonlyMap<string, CommitmentCounts>>;
}

export const COMMITMENT_STANDING = Symbol('COMMITMENT_STANDING');


/** A broken commitment counts as long as dishonesty information may be used (DOMAIN §4): countedBreachSql judges it on `today`. */
export function recordedCommitments(commitments: CommitmentRepository): CommitmentStanding {
  return { countsFor: (manager, subjects, today) => commitments.standingOf(manager, subjects, today) };
}
