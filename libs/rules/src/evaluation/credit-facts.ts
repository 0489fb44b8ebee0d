import { ConductSeverity, CreditEvent, EVENT_TYPES, findingDepartmentOf, listCodeOf } from '@app/domain';
import { differenceInDays } from '../dates/calendar-days';
import { CONDITION_FACTS } from '../loader/lint/condition-findings';
import { ListType } from '../loader/memorandum';
import { RuleSet } from '../loader/rule-set';

/** The facts a rule may test (the schema's fact enum), derived once per event. */
export interface CreditFacts {
  eventType: string;
  sourceDepartment: string;
  subjectKind: string;
  listCode?: string;
  listType?: ListType;
  severity: ConductSeverity;
  penaltyType?: string;
  reason?: string;
  ratingScheme?: string;
  grade?: string;
  honourCode?: string;
  commitmentType?: string;
  /** An association's sanction (warning, circulated-criticism, public-condemnation) and its industry. */
  sanction?: string;
  industry?: string;
  relatedRoles: string[];
  fineAmountYuan?: number;
  termDays?: number;
}

// Fails to compile when CONDITION_FACTS (what rules may name) and CreditFacts (what events provide) differ.
const everyFactNamed: Record<Exclude<keyof CreditFacts, (typeof CONDITION_FACTS)[number]>, never> = {};
void everyFactNamed;
void (CONDITION_FACTS satisfies readonly (keyof CreditFacts)[]);

export function buildCreditFacts(event: CreditEvent, ruleSet: RuleSet): CreditFacts {
  const data = event.data as unknown as Record<string, unknown>;
  const listCode = listCodeOf(event.type, event.data);
  const listType = listCode ? ruleSet.list(listCode)?.type : undefined;
  const from = (data.validFrom as string | undefined) ?? event.data.decidedOn;
  const to = data.validTo as string | undefined;
  return {
    eventType: event.type,
    // A relayed event is decided as its original department's finding (the memoranda name departments, not bridges).
    sourceDepartment: findingDepartmentOf(event) ?? event.source,
    subjectKind: event.data.subject.kind,
    listCode,
    listType,
    severity: severityOf(event, listType),
    penaltyType: data.penaltyType as string | undefined,
    reason: data.reason as string | undefined,
    ratingScheme: data.scheme as string | undefined,
    grade: data.grade as string | undefined,
    honourCode: data.honourCode as string | undefined,
    commitmentType: data.commitmentType as string | undefined,
    sanction: data.sanction as string | undefined,
    industry: data.industry as string | undefined,
    relatedRoles: [...new Set((event.data.relatedPersons ?? []).map((p) => p.role))],
    fineAmountYuan: data.fineAmountYuan as number | undefined,
    // validTo is the last day in force, so a term from 1 January to 31 December is 365 days.
    termDays: to ? differenceInDays(from, to) + 1 : undefined,
  };
}

/**
 * Severity is a property of the conduct, not of the rule: a listing on a blacklist is
 * serious by definition, a key-attention listing or a broken commitment general.
 */
function severityOf(event: CreditEvent, listType: ListType | undefined): ConductSeverity {
  switch (event.type) {
    case EVENT_TYPES.penaltyImposed:
      return (event.data as { severity: ConductSeverity }).severity;
    case EVENT_TYPES.judgmentDebtorListed:
      return 'serious';
    case EVENT_TYPES.listEntryAdded:
      return listType === 'black' ? 'serious' : listType === 'key-attention' ? 'general' : 'none';
    case EVENT_TYPES.commitmentBreached:
      return 'general';
    // 按照情节轻重: a public condemnation answers conduct grave enough for supervision-type measures;
    // a warning or a circulated criticism is light (DOMAIN §8: light measures are generally not published).
    case EVENT_TYPES.associationSanction:
      return (event.data as { sanction: string }).sanction === 'public-condemnation' ? 'general' : 'minor';
    default:
      return 'none';
  }
}
