import { EVENT_TYPES, EventType } from '@app/domain';

/**
 * A realistic department feed, most of it consequential: list entries and judgment-debtor
 * listings (mostly decided), penalties, ratings and honours (decided when serious or
 * qualifying), commitments and lifecycle events (no new decision), 3 % stray publishers.
 */
export const CORPUS_WEIGHTS: Partial<Record<EventType, number>> = {
  [EVENT_TYPES.judgmentDebtorListed]: 40,
  [EVENT_TYPES.listEntryAdded]: 35,
  [EVENT_TYPES.penaltyImposed]: 10,
  [EVENT_TYPES.ratingAssigned]: 4,
  [EVENT_TYPES.honourGranted]: 4,
  [EVENT_TYPES.commitmentMade]: 2,
  [EVENT_TYPES.commitmentBreached]: 1,
  [EVENT_TYPES.listEntryRemoved]: 1,
  [EVENT_TYPES.repairApproved]: 1,
  [EVENT_TYPES.objectionFiled]: 1,
  [EVENT_TYPES.objectionResolved]: 1,
};
