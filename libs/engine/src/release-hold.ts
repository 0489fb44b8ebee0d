/**
 * Why an engine holds its batches instead of deciding them (RULES_SOURCE=database): it may not
 * know the release in force at the batch's instant (its last read of the releases is older than
 * the least lead an approval gives), or it knows it but cannot build it against its own registry.
 * Either way deciding under the release before would be a decision under the wrong release.
 */
export type ReleaseHold =
  | { reason: 'releases-not-read'; lastReadAt: Date | null }
  | {
      reason: 'release-not-built';
      version: number;
      effectiveAt: Date;
      /** When this engine refused to build it, and how many problems it found (the problems are in the log); null if it never tried (a release it dropped as past). */
      refusal: { at: Date; problems: number } | null;
    };

/** An approved release this engine could not build against its own registry; the problems are logged once, when refused. */
export interface RefusedRelease {
  version: number;
  effectiveAt: Date;
  at: Date;
  problems: number;
}

export type ReleaseHoldReason = ReleaseHold['reason'];

export const RELEASE_HOLD_REASONS: readonly ReleaseHoldReason[] = ['releases-not-read', 'release-not-built'];

/** What a hold means, for the log and readiness: numbers and instants only, never rule content or an event. */
export function describeHold(hold: ReleaseHold): string {
  if (hold.reason === 'releases-not-read') {
    return `the releases were last read ${hold.lastReadAt?.toISOString() ?? 'never'}: a release approved since could be in force`;
  }
  return `release ${hold.version}, in force from ${hold.effectiveAt.toISOString()}, cannot be built by this engine${hold.refusal ? ` (${hold.refusal.problems} problems, logged when it was refused)` : ''}: batches wait until it can (it is tried again with backoff; a later release supersedes it, or a restart with a registry it fits)`;
}

/**
 * A batch held (see ReleaseHold). Retriable: the batch waits (inbox row, Kafka offset) and is
 * decided once the hold ends, never under a release the other engines have already left.
 */
export class ReleaseHoldError extends Error {
  readonly retriable = true;

  constructor(
    readonly hold: ReleaseHold,
    instant: Date,
  ) {
    super(`batch at ${instant.toISOString()} held: ${describeHold(hold)}`);
  }
}
