import type { BilingualText } from '@app/domain';
import type { CheckOutcome } from '../credit-check/approval-items';
import type { CheckedMeasure } from '../credit-check/credit-check.service';

/**
 * The approval item whose measures bar the commitment route (告知承诺) itself: "no
 * commitment-based approval" (CB-01..04 of commitment-breaches, AB-03 of abnormal-operation).
 * config/approval-items.json must list it; the review refuses to start otherwise.
 */
export const COMMITMENT_ROUTE_ITEM = 'commitment-based-approval';

/**
 * Why the route is closed: a measure of the caller's barring commitment-based approval is in
 * force (`measure-in-force`), or the caller's measures for the item itself deny it, so no route
 * leads to the approval (`item-denied`).
 */
export type CommitmentRouteReasonCode = 'measure-in-force' | 'item-denied';

export interface CommitmentRouteReason {
  code: CommitmentRouteReasonCode;
  /** The measure, its decision and its last day in force (inclusive): until then the route stays closed. */
  measure: { code: string; text: BilingualText; decisionId: string; validTo: string; disputed: boolean };
  explanation: BilingualText;
}

/** The verdict for the approval system: may the applicant be approved on its commitment for this item. */
export interface CommitmentRouteVerdict {
  allowed: boolean;
  reasons: CommitmentRouteReason[];
}

/**
 * The verdict from the caller's measures in force: the route's own measures (those of
 * COMMITMENT_ROUTE_ITEM) that deny, and the item's measures when they deny the item outright. A
 * disputed measure still applies (an objection flags, it does not suspend).
 */
export function commitmentRouteVerdict(itemOutcome: CheckOutcome, itemMeasures: readonly CheckedMeasure[], routeMeasures: readonly CheckedMeasure[]): CommitmentRouteVerdict {
  const reasons: CommitmentRouteReason[] = [];
  for (const m of routeMeasures.filter((m) => m.category === 'deny')) {
    reasons.push({
      code: 'measure-in-force',
      measure: measureOf(m),
      explanation: {
        zh: `措施 ${m.code} 有效至 ${m.validTo}：不适用告知承诺制，按一般程序提交全部材料`,
        en: `measure ${m.code} is in force through ${m.validTo}: no commitment-based approval; complete materials under the ordinary procedure`,
      },
    });
  }
  if (itemOutcome === 'deny') {
    for (const m of itemMeasures.filter((m) => m.category === 'deny' && !reasons.some((r) => r.measure.code === m.code && r.measure.decisionId === m.explanation.decisionId))) {
      reasons.push({
        code: 'item-denied',
        measure: measureOf(m),
        explanation: {
          zh: `措施 ${m.code} 有效至 ${m.validTo}：该审批事项不予办理，承诺亦不能替代`,
          en: `measure ${m.code} is in force through ${m.validTo}: the item itself is denied, which no commitment can replace`,
        },
      });
    }
  }
  return { allowed: reasons.length === 0, reasons };
}

function measureOf(m: CheckedMeasure): CommitmentRouteReason['measure'] {
  return { code: m.code, text: m.text, decisionId: m.explanation.decisionId, validTo: m.validTo, disputed: m.disputed };
}
