import type { EntityManager } from 'typeorm';

/** Credit commitments (信用承诺) of a subject as class rules count them: `commitments.broken` and `commitments.kept`. */
export interface CommitmentCounts {
  broken: number;
  kept: number;
}

/**
 * Where class facts read commitments from. Until commitments are recorded the engine binds
 * NO_COMMITMENTS_RECORDED (every count 0); the commitments part provides its own under
 * COMMITMENT_STANDING, reading in the caller's transaction so a breach and the class it causes
 * commit together.
 */
export interface CommitmentStanding {
  /** Counts by `idType/id` on the China date `today`; a subject absent from the map has none. */
  countsFor(manager: EntityManager, subjects: readonly { idType: string; id: string }[], today: string): Promise<ReadonlyMap<string, CommitmentCounts>>;
}

export const COMMITMENT_STANDING = Symbol('COMMITMENT_STANDING');

export const NO_COMMITMENTS_RECORDED: CommitmentStanding = {
  countsFor: () => Promise.resolve(new Map()),
};
