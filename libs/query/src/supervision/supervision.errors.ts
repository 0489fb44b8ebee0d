import { DomainError, ErrorKinds } from '@app/domain';

export type SupervisionErrorCode =
  | 'REQUEST.INVALID_SAMPLE'
  | 'SUPERVISION.INVALID_CONFIG'
  | 'SUPERVISION.NOT_CONFIGURED'
  | 'SUPERVISION.MODEL_REQUIRED'
  | 'SUPERVISION.UNKNOWN_MODEL'
  | 'SUPERVISION.BAD_PERIOD'
  | 'SUPERVISION.PERIOD_NOT_OPEN'
  | 'SUPERVISION.DUPLICATE_SUBJECT'
  | 'SUPERVISION.EMPTY_POPULATION'
  | 'SUPERVISION.POPULATION_TOO_LARGE'
  | 'SUPERVISION.ALREADY_DRAWN'
  | 'SUPERVISION.CLASSES_STALE'
  | 'SUPERVISION.NOT_FOUND'
  | 'SUPERVISION.NOT_OWN_SAMPLE';

/** A second draw for a period is a conflict (it names the sample drawn); a broken supervision file stops the boot. */
export const SUPERVISION_ERROR_KINDS: ErrorKinds<SupervisionErrorCode> = {
  'REQUEST.INVALID_SAMPLE': 'invalid',
  'SUPERVISION.INVALID_CONFIG': 'internal',
  'SUPERVISION.NOT_CONFIGURED': 'forbidden',
  'SUPERVISION.MODEL_REQUIRED': 'invalid',
  'SUPERVISION.UNKNOWN_MODEL': 'invalid',
  'SUPERVISION.BAD_PERIOD': 'invalid',
  'SUPERVISION.PERIOD_NOT_OPEN': 'unprocessable',
  'SUPERVISION.DUPLICATE_SUBJECT': 'invalid',
  'SUPERVISION.EMPTY_POPULATION': 'unprocessable',
  'SUPERVISION.POPULATION_TOO_LARGE': 'unprocessable',
  'SUPERVISION.ALREADY_DRAWN': 'conflict',
  // The engine's revision sweep reclassifies such rows within a few ticks: a retry will do.
  'SUPERVISION.CLASSES_STALE': 'unavailable',
  'SUPERVISION.NOT_FOUND': 'not-found',
  'SUPERVISION.NOT_OWN_SAMPLE': 'forbidden',
};

/** Refusals of a spot-check sample's draw or read, and a supervision file refused at start-up. Context names no natural person. */
export class SupervisionError extends DomainError {
  declare readonly code: SupervisionErrorCode;

  constructor(code: SupervisionErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}
