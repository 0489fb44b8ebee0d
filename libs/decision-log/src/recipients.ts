import { departmentOf, IdentifierType } from '@app/domain';

/**
 * What a receiving department may learn of the people in a decision (PIPL 最小必要; the README's
 * "What a department receives"). Who receives a decision at all is planned with it
 * (`PlannedDecision.addressees`: the departments that identify it and those that implement or
 * cooperate in one of its measures); this file decides what their records say about persons.
 */

/** The parties of one decision, as both the planner's and the stored decision give them. */
export interface DecisionParties {
  /** The department that published the cause event and the identifying department (认定部门) of its list entry. */
  identifying: readonly string[];
  /** Every task of the decision, whatever its state: who acts on whom. */
  tasks: readonly { implementingDepartment: string; cooperatingDepartments: readonly string[]; targetId: string }[];
}

/** Natural persons are identified by a resident ID; organisations' codes (USCC) are public. */
export function isNaturalPerson(idType: IdentifierType): boolean {
  return idType === 'RESIDENT_ID';
}

/** The identifying departments of a decision: its cause event's publisher and its list entries' identifying departments. */
export function identifyingDepartments(causeEventSource: string, listIdentifyingDepartments: readonly string[]): string[] {
  const publisher = departmentOf(causeEventSource);
  return [...new Set([...(publisher ? [publisher] : []), ...listIdentifyingDepartments])].sort();
}

/** Whether the department applies or cooperates in a measure of the decision aimed at this person. */
export function actsOn(department: string, personId: string, parties: DecisionParties): boolean {
  return parties.tasks.some((t) => t.targetId === personId && (t.implementingDepartment === department || t.cooperatingDepartments.includes(department)));
}

/**
 * Whether the department's record may carry this person's identifier and name: always for an
 * organisation; for a natural person only if the department acts on that person or identified
 * the decision (its own publication).
 */
export function mayIdentify(department: string, person: { idType: IdentifierType; id: string }, parties: DecisionParties): boolean {
  return !isNaturalPerson(person.idType) || parties.identifying.includes(department) || actsOn(department, person.id, parties);
}

/**
 * The record's Kafka key and ce_subject: the subject's identifier, so one subject's records stay
 * in order, unless the department may not know it; then the decision id, which keeps that
 * decision's own records (issued, then its changes) in order.
 */
export function subjectKeyFor(department: string, subject: { idType: IdentifierType; id: string } | undefined, decisionId: string, parties: DecisionParties): string {
  return subject && mayIdentify(department, subject, parties) ? subject.id : decisionId;
}
