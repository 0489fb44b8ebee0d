/**
 * Every kind of record a department receives, by family, with each family's shape version
 * (its schema in schemas/ describes it): raised when a field changes meaning or form.
 */

export const DECISION_ISSUED_KIND = 'decision.issued';
export type DecisionIssuedKind = typeof DECISION_ISSUED_KIND;
export const DECISION_RECORD_SCHEMA_VERSION = 6;

/** What happened to a decision after it was issued; each is told to the departments the decision was addressed to. */
export const LIFECYCLE_KINDS = ['decision.revoked', 'decision.disputed', 'decision.confirmed'] as const;
export type LifecycleKind = (typeof LIFECYCLE_KINDS)[number];
export const LIFECYCLE_RECORD_SCHEMA_VERSION = 5;

/**
 * What the engine refused or could not do, told to the department that asked: a repair before
 * its time, a removal of another department's decision, a red list while blacklisted, a sanction
 * on conduct past its limitation, or a lifecycle event that found nothing to change.
 */
export const REFUSAL_KINDS = ['repair.refused', 'removal.refused', 'grant.refused', 'sanction.refused', 'change.no-effect'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];
export const REFUSAL_RECORD_SCHEMA_VERSION = 2;

/** A subject's credit class changed under a model (信用分类), told to the departments the model names. */
export const CREDIT_CLASS_CHANGED_KIND = 'credit-class.changed';
export type CreditClassChangedKind = typeof CREDIT_CLASS_CHANGED_KIND;
export const CREDIT_CLASS_RECORD_SCHEMA_VERSION = 1;

/** A situation bulletin (情况通报) was issued: told to every government department. */
export const BULLETIN_ISSUED_KIND = 'bulletin.issued';
export type BulletinIssuedKind = typeof BULLETIN_ISSUED_KIND;
export const BULLETIN_RECORD_SCHEMA_VERSION = 1;

/** A major dishonesty event opened a coordination case (工作协调会): told to every department it concerns. */
export const COORDINATION_OPENED_KIND = 'coordination.opened';
export type CoordinationOpenedKind = typeof COORDINATION_OPENED_KIND;
export const COORDINATION_RECORD_SCHEMA_VERSION = 1;
/** Its meeting's minutes closed a coordination case: told to the same departments. */
export const COORDINATION_CLOSED_KIND = 'coordination.closed';
export type CoordinationClosedKind = typeof COORDINATION_CLOSED_KIND;

export const FEED_RECORD_KINDS = [DECISION_ISSUED_KIND, ...LIFECYCLE_KINDS, ...REFUSAL_KINDS, CREDIT_CLASS_CHANGED_KIND, BULLETIN_ISSUED_KIND, COORDINATION_OPENED_KIND, COORDINATION_CLOSED_KIND] as const;
export type FeedRecordKind = (typeof FEED_RECORD_KINDS)[number];

/** The CloudEvents type (ce_type) each kind is published under: a new kind without one fails the typecheck. */
export const CLOUD_EVENT_TYPE: { readonly [K in FeedRecordKind]: `credit.${K}.v1` } = {
  'decision.issued': 'credit.decision.issued.v1',
  'decision.revoked': 'credit.decision.revoked.v1',
  'decision.disputed': 'credit.decision.disputed.v1',
  'decision.confirmed': 'credit.decision.confirmed.v1',
  'repair.refused': 'credit.repair.refused.v1',
  'removal.refused': 'credit.removal.refused.v1',
  'grant.refused': 'credit.grant.refused.v1',
  'sanction.refused': 'credit.sanction.refused.v1',
  'change.no-effect': 'credit.change.no-effect.v1',
  'credit-class.changed': 'credit.credit-class.changed.v1',
  'bulletin.issued': 'credit.bulletin.issued.v1',
  'coordination.opened': 'credit.coordination.opened.v1',
  'coordination.closed': 'credit.coordination.closed.v1',
};

/** ce_source of every record the engine publishes. */
export const RECORD_EVENT_SOURCE = '/credit-engine';

export function isFeedRecordKind(value: string): value is FeedRecordKind {
  return (FEED_RECORD_KINDS as readonly string[]).includes(value);
}
