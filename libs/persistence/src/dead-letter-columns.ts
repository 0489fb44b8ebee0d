import { claimedEventType, departmentOf, maskedPreview } from '@app/domain';

/** What stays in clear of a dead letter besides its reason and origin: nothing that names a person. */
export interface DeadLetterClearColumns {
  preview: string;
  sizeBytes: number;
  eventType: string | null;
  /** The department that may read the sealed body; null when no department could be told from the message. */
  department: string | null;
}

/** `<prefix>credit.events.<department>.v1`: a department's own inbound topic, which only it may write. */
const DEPARTMENT_TOPIC = /(?:^|\.)credit\.events\.([a-z0-9]+(?:-[a-z0-9]+)*)\.v1$/;
const NOT_DEPARTMENTS = new Set(['dead-letter']);

/**
 * The publishing department: the owner of the topic when it came on a department's own topic
 * (the broker authenticated the writer), else the department its CloudEvents source claims.
 */
export function deadLetterDepartment(topic: string | null | undefined, source: string | null | undefined): string | null {
  const owner = topic ? DEPARTMENT_TOPIC.exec(topic)?.[1] : undefined;
  if (owner && !NOT_DEPARTMENTS.has(owner)) return owner;
  const claimed = source ? departmentOf(source) : undefined;
  return claimed && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(claimed) ? claimed : null;
}

export function deadLetterClearColumns(raw: string, topic: string | null | undefined, source: string | null | undefined): DeadLetterClearColumns {
  return { preview: maskedPreview(raw), sizeBytes: Buffer.byteLength(raw, 'utf8'), eventType: claimedEventType(raw), department: deadLetterDepartment(topic, source) };
}
