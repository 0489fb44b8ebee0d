import { DomainError, ErrorKinds } from '@app/domain';

export type FeedbackErrorCode =
  | 'REQUEST.INVALID_FEEDBACK'
  | 'REQUEST.BAD_TASK_FILTER'
  | 'TASK.NOT_FOUND'
  | 'TASK.NOT_PARTICIPATING'
  | 'FEEDBACK.NOT_IMPLEMENTING_DEPARTMENT'
  | 'FEEDBACK.DUPLICATE'
  | 'FEEDBACK.TASK_ENDED';

/** A task the caller has no part in is forbidden; a report the task's state contradicts is a conflict. */
export const FEEDBACK_ERROR_KINDS: ErrorKinds<FeedbackErrorCode> = {
  'REQUEST.INVALID_FEEDBACK': 'invalid',
  'REQUEST.BAD_TASK_FILTER': 'invalid',
  'TASK.NOT_FOUND': 'not-found',
  'TASK.NOT_PARTICIPATING': 'forbidden',
  'FEEDBACK.NOT_IMPLEMENTING_DEPARTMENT': 'forbidden',
  'FEEDBACK.DUPLICATE': 'conflict',
  'FEEDBACK.TASK_ENDED': 'conflict',
};

/** Refusals of a feedback report or a task read; context names no natural person. */
export class FeedbackError extends DomainError {
  declare readonly code: FeedbackErrorCode;

  constructor(code: FeedbackErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
