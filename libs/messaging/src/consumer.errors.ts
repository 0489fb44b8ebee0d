import type { ErrorKinds } from '@app/domain';

/** What the consumer dead-letters a message with when the engine failed to decide it: an operator's matter. */
export type ConsumerErrorCode = 'ENGINE.PROCESSING_FAILED';

export const CONSUMER_ERROR_KINDS: ErrorKinds<ConsumerErrorCode> = {
  'ENGINE.PROCESSING_FAILED': 'internal',
};
