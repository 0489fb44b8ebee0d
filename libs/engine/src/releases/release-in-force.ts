/** An approved release as the schedule keeps it: what it is and from when. */
export interface ScheduledRelease {
  version: number;
  effectiveAt: Date;
}

/**
 * The release in force at `instant`: of those taken effect by then (effective_at <= instant), the
 * one that took effect last; of two with the same effective time, the later version. Undefined
 * before the first. Every engine judges a batch by its one decision instant, so engines whose
 * clocks agree switch together, and no batch is decided half under one release.
 */
export function releaseInForce<T extends ScheduledRelease>(releases: readonly T[], instant: Date): T | undefined {
  let inForce: T | undefined;
  for (const release of releases) {
    if (release.effectiveAt.getTime() > instant.getTime()) continue;
    if (!inForce || release.effectiveAt.getTime() > inForce.effectiveAt.getTime() || (release.effectiveAt.getTime() === inForce.effectiveAt.getTime() && release.version > inForce.version)) inForce = release;
  }
  return inForce;
}
