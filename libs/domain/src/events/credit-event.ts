import { EventDataMap } from './event-catalogue';
import { EventType } from './event-types';

/**
 * A validated credit event in its CloudEvents 1.0 envelope. `source` is
 * `/departments/<code>`; `subject` is the identifier of the subject the event is about.
 */
export interface CreditEvent<T extends EventType = EventType> {
  specversion: '1.0';
  id: string;
  source: string;
  type: T;
  subject: string;
  time: string;
  datacontenttype?: string;
  dataschema?: string;
  data: EventDataMap[T];
}

export const DEPARTMENT_SOURCE_PREFIX = '/departments/';

export function departmentSource(code: string): string {
  return `${DEPARTMENT_SOURCE_PREFIX}${code}`;
}

/** The publishing department's code, or undefined when the source is not a department. */
export function departmentOf(source: string): string | undefined {
  return source.startsWith(DEPARTMENT_SOURCE_PREFIX) ? source.slice(DEPARTMENT_SOURCE_PREFIX.length) : undefined;
}

/**
 * The department whose finding an event is: for an event a peer deployment relays, the department
 * that published it there (data.provenance); otherwise its publisher. Rules and "whoever identifies,
 * repairs" read this one, so a relayed listing is decided, and repaired, as its department's.
 */
export function findingDepartmentOf(event: CreditEvent): string | undefined {
  return event.data.provenance?.department ?? departmentOf(event.source);
}

/** How records, outcomes and statuses name the event that caused them: `<source>/<id>`. */
export function causeKeyOf(source: string, id: string): string {
  return `${source}/${id}`;
}
