import { RequestError } from '@app/domain';

/** A query parameter given once, or not at all; repeating it is refused rather than guessed at. */
export function single(name: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new RequestError('REQUEST.INVALID', `query parameter ${name} must be given once, as text`);
}
