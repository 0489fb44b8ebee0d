import {
  AssociationSanctionData,
  AssociationSanctionWithdrawnData,
  CommitmentBreachedData,
  CommitmentMadeData,
  CreditEventDataBase,
  HonourGrantedData,
  JudgmentDebtorListedData,
  ListEntryAddedData,
  ListEntryRemovedData,
  ObjectionFiledData,
  ObjectionResolvedData,
  PenaltyImposedData,
  RatingAssignedData,
  RepairApprovedData,
} from './credit-event-data.dto';
import { EVENT_TYPES, EventType } from './event-types';

/** Payload type per event type: a handler cannot drift from the payload its type carries. */
export interface EventDataMap {
  [EVENT_TYPES.listEntryAdded]: ListEntryAddedData;
  [EVENT_TYPES.listEntryRemoved]: ListEntryRemovedData;
  [EVENT_TYPES.penaltyImposed]: PenaltyImposedData;
  [EVENT_TYPES.judgmentDebtorListed]: JudgmentDebtorListedData;
  [EVENT_TYPES.ratingAssigned]: RatingAssignedData;
  [EVENT_TYPES.honourGranted]: HonourGrantedData;
  [EVENT_TYPES.commitmentMade]: CommitmentMadeData;
  [EVENT_TYPES.commitmentBreached]: CommitmentBreachedData;
  [EVENT_TYPES.repairApproved]: RepairApprovedData;
  [EVENT_TYPES.objectionFiled]: ObjectionFiledData;
  [EVENT_TYPES.objectionResolved]: ObjectionResolvedData;
  [EVENT_TYPES.associationSanction]: AssociationSanctionData;
  [EVENT_TYPES.associationSanctionWithdrawn]: AssociationSanctionWithdrawnData;
}

type DataClass = new () => CreditEventDataBase;

export const EVENT_DATA_CLASSES: { readonly [T in EventType]: new () => EventDataMap[T] } & Record<EventType, DataClass> = {
  [EVENT_TYPES.listEntryAdded]: ListEntryAddedData,
  [EVENT_TYPES.listEntryRemoved]: ListEntryRemovedData,
  [EVENT_TYPES.penaltyImposed]: PenaltyImposedData,
  [EVENT_TYPES.judgmentDebtorListed]: JudgmentDebtorListedData,
  [EVENT_TYPES.ratingAssigned]: RatingAssignedData,
  [EVENT_TYPES.honourGranted]: HonourGrantedData,
  [EVENT_TYPES.commitmentMade]: CommitmentMadeData,
  [EVENT_TYPES.commitmentBreached]: CommitmentBreachedData,
  [EVENT_TYPES.repairApproved]: RepairApprovedData,
  [EVENT_TYPES.objectionFiled]: ObjectionFiledData,
  [EVENT_TYPES.objectionResolved]: ObjectionResolvedData,
  [EVENT_TYPES.associationSanction]: AssociationSanctionData,
  [EVENT_TYPES.associationSanctionWithdrawn]: AssociationSanctionWithdrawnData,
};

/** The list an event is about, when it names one (judgment-debtor listings imply the court's list). */
export function listCodeOf(type: EventType, data: CreditEventDataBase): string | undefined {
  if (type === EVENT_TYPES.judgmentDebtorListed) return JUDGMENT_DEBTOR_LIST;
  const candidate = (data as { listCode?: unknown }).listCode;
  return typeof candidate === 'string' ? candidate : undefined;
}

export const JUDGMENT_DEBTOR_LIST = 'judgment-debtor';
