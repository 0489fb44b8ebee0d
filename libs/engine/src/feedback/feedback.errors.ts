import { DomainError } from '@app/domain';

export type FeedbackErrorCode =
  | 'REQUEST.INVALID_FEEDBACK'
  | 'REQUEST.BAD_TASK_FILTER'
  | 'TASK.NOT_FOUND'
  | 'TASK.NOT_PARTICIPATING'
  | 'FEEDBACK.NOT_IMPLEMENTING_DEPARTMENT'
  | 'FEEDBACK.DUPLICATE'
  | 'FEEDBACK.TASK_ENDED';

/** Refusals of a feedback report or a task read; context names no natural person. */
export class FeedbackError extends DomainError {
  declare readonly code: FeedbackErrorCode;

  constructor(code: FeedbackErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
