import { ConductEventData, CreditEvent, EVENT_TYPES } from '@app/domain';
import { addMonths, addYears } from '../dates/calendar-days';
import { ListType, Memorandum, PenaltyPublicity } from '../loader/memorandum';

/**
 * Dishonesty information older than five years from the end of the conduct may no longer be
 * disclosed or used as a basis for sanctions (DOMAIN §4; Shandong art. 38, Shanghai art. 35).
 * A memorandum may set a shorter limit, never a longer one.
 */
export const LEGAL_LIMITATION_YEARS = 5;

/** When the information behind a sanction stops being usable. */
export interface Limitation {
  /** The day the conduct ended, as the event gave it or, when it could not, its decision date. */
  conductEndedOn: string;
  /** Whether the department stated conductEndedOn (false: it is the decision date). */
  conductEndStated: boolean;
  years: number;
  /**
   * The last day the information may be used: the period starts the day after the conduct
   * ended and ends on the corresponding day `years` later (民法典 第二百零一条、第二百零二条).
   * From the next day it is time-barred.
   */
  lastUsableOn: string;
}

const CONDUCT_EVENT_TYPES: ReadonlySet<string> = new Set([EVENT_TYPES.penaltyImposed, EVENT_TYPES.judgmentDebtorListed, EVENT_TYPES.listEntryAdded, EVENT_TYPES.commitmentBreached, EVENT_TYPES.associationSanction]);

/** Whether the event records dishonest conduct (a listing on a red list does not). */
export function carriesConduct(event: CreditEvent, listType?: ListType): boolean {
  return CONDUCT_EVENT_TYPES.has(event.type) && !(event.type === EVENT_TYPES.listEntryAdded && listType === 'red');
}

/** The limitation of a memorandum's sanctions for an event; undefined when none applies (incentives, events without conduct). */
export function limitationOf(memorandum: Memorandum, event: CreditEvent): Limitation | undefined {
  if (memorandum.kind !== 'sanction' || !carriesConduct(event)) return undefined;
  return limitationFrom(event, Math.min(memorandum.limitation?.years ?? LEGAL_LIMITATION_YEARS, LEGAL_LIMITATION_YEARS));
}

/** The limitation of an event's conduct for a number of years (the legal maximum unless a memorandum sets fewer). */
export function limitationFrom(event: CreditEvent, years: number = LEGAL_LIMITATION_YEARS): Limitation {
  const stated = (event.data as ConductEventData).conductEndedOn;
  const conductEndedOn = stated ?? event.data.decidedOn;
  return { conductEndedOn, conductEndStated: stated !== undefined, years, lastUsableOn: addYears(conductEndedOn, years) };
}

/** True from the day after the last usable day: the information may no longer be a basis of sanctions. */
export function isTimeBarred(limitation: Limitation, today: string): boolean {
  return today > limitation.lastUsableOn;
}

export const DEFAULT_PENALTY_PUBLICITY: PenaltyPublicity = { anchor: 'decided-on', minimumMonths: { minor: null, general: 3, serious: 12 } };

export function penaltyPublicityOf(memorandum: Memorandum): PenaltyPublicity {
  const configured = memorandum.repair.penaltyPublicity;
  return {
    anchor: configured?.anchor ?? DEFAULT_PENALTY_PUBLICITY.anchor,
    minimumMonths: { ...DEFAULT_PENALTY_PUBLICITY.minimumMonths, ...configured?.minimumMonths },
  };
}

/**
 * The first day a penalty-based measure may be repaired: the corresponding day `months` after
 * its anchor (the minimum publicity has then been served); the anchor itself when the severity
 * is not published. Undefined severity (not a penalty) counts as general.
 */
export function earliestPenaltyRepairOn(publicity: PenaltyPublicity, severity: string | undefined, anchorDate: string): string {
  const months = severity === 'minor' ? publicity.minimumMonths.minor : severity === 'serious' ? publicity.minimumMonths.serious : publicity.minimumMonths.general;
  return months === null ? anchorDate : addMonths(anchorDate, months);
}
