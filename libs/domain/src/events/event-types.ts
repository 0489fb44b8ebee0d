/**
 * The event catalogue: every credit event type a department may publish.
 * The version is part of the type, so a changed payload is a new type and old
 * producers keep working (CloudEvents `type`).
 */
export const EVENT_TYPES = {
  listEntryAdded: 'credit.list-entry.added.v1',
  listEntryRemoved: 'credit.list-entry.removed.v1',
  penaltyImposed: 'credit.penalty.imposed.v1', // 行政处罚
  judgmentDebtorListed: 'credit.judgment-debtor.listed.v1', // 失信被执行人
  ratingAssigned: 'credit.rating.assigned.v1', // 信用评级, e.g. tax credit grade
  honourGranted: 'credit.honour.granted.v1', // 表彰
  commitmentMade: 'credit.commitment.made.v1', // 信用承诺
  commitmentBreached: 'credit.commitment.breached.v1',
  repairApproved: 'credit.repair.approved.v1', // 信用修复
  objectionFiled: 'credit.objection.filed.v1', // 异议
  objectionResolved: 'credit.objection.resolved.v1',
  associationSanction: 'credit.association.sanction.v1', // 行业自律惩戒
  associationSanctionWithdrawn: 'credit.association.sanction.withdrawn.v1', // 撤销自律惩戒
} as const;

export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

export const ALL_EVENT_TYPES: readonly EventType[] = Object.values(EVENT_TYPES);

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (ALL_EVENT_TYPES as readonly string[]).includes(value);
}

export const PENALTY_SEVERITIES = ['minor', 'general', 'serious'] as const;
export type PenaltySeverity = (typeof PENALTY_SEVERITIES)[number];

/** Severity of the conduct behind an event, as rules see it; `none` for non-dishonesty events. */
export type ConductSeverity = PenaltySeverity | 'none';

/**
 * An industry association's self-discipline sanctions of its members, lightest first
 * (利州方案 五(二): "按照情节轻重, 实行警告、行业内通报批评、公开谴责").
 */
export const ASSOCIATION_SANCTIONS = [
  'warning', // 警告
  'circulated-criticism', // 行业内通报批评
  'public-condemnation', // 公开谴责
] as const;
export type AssociationSanction = (typeof ASSOCIATION_SANCTIONS)[number];

export function isAssociationSanction(value: unknown): value is AssociationSanction {
  return typeof value === 'string' && (ASSOCIATION_SANCTIONS as readonly string[]).includes(value);
}
