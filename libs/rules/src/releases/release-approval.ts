import { ReleaseError } from './release.errors';

/** Four eyes (四眼原则): whoever wrote a release may not approve it. Names compare trimmed and case-insensitively, so "Li" cannot approve Li's. */
export function checkFourEyes(author: string, approver: string): void {
  if (author.trim().toLowerCase() === approver.trim().toLowerCase()) {
    throw new ReleaseError('RELEASE.FOUR_EYES', 'a release must be approved by someone other than its author');
  }
}

/**
 * A release takes effect no sooner than `minLeadMs` after its approval: every engine polls for
 * releases and must have compiled it before its instant, or engines would switch apart.
 */
export function checkEffectiveTime(effectiveAt: Date, now: Date, minLeadMs: number): void {
  const earliest = new Date(now.getTime() + minLeadMs);
  if (effectiveAt.getTime() < earliest.getTime()) {
    throw new ReleaseError('RELEASE.EFFECTIVE_TOO_SOON', `the effective time must be ${earliest.toISOString()} or later (RELEASE_MIN_LEAD_MS after the approval), so every engine has the release ready`);
  }
}
