import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DeadLetterKeyring } from '@app/config';
import { DomainError, ErrorKinds } from '@app/domain';

export type DeadLetterCipherErrorCode = 'DEAD_LETTER.KEY_UNAVAILABLE' | 'DEAD_LETTER.UNREADABLE';

export const DEAD_LETTER_CIPHER_ERROR_KINDS: ErrorKinds<DeadLetterCipherErrorCode> = {
  'DEAD_LETTER.KEY_UNAVAILABLE': 'internal',
  'DEAD_LETTER.UNREADABLE': 'internal',
};

/** A sealed dead letter that cannot be opened: an operator's matter (a key removed too early, a changed row), never the caller's. */
export class DeadLetterCipherError extends DomainError {
  declare readonly code: DeadLetterCipherErrorCode;

  constructor(code: DeadLetterCipherErrorCode, message: string, context: Record<string, unknown> = {}) {
    super(code, message, context);
  }
}

/**
 * The row a body is sealed for. It is authenticated with the body, so a body copied into another
 * row (another department's) no longer opens.
 */
export interface SealContext {
  department: string | null;
  source: string | null;
  eventId: string | null;
  topic: string | null;
  partition: number | null;
  offset: string | null;
}

export interface SealedBody {
  keyId: string;
  /** FORMAT (1 byte) · IV (12) · GCM tag (16) · ciphertext. */
  sealed: Buffer;
}

const FORMAT = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/** AES-256-GCM for the bodies of dead letters (they carry resident IDs and names); the key id travels with each row. */
export class DeadLetterCipher {
  constructor(private readonly keyring: DeadLetterKeyring) {}

  get activeKeyId(): string {
    return this.keyring.activeKeyId;
  }

  seal(body: string, context: SealContext): SealedBody {
    const keyId = this.keyring.activeKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keyring.keys.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(keyId, context));
    const ciphertext = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
    return { keyId, sealed: Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), ciphertext]) };
  }

  open({ keyId, sealed }: SealedBody, context: SealContext): string {
    const key = this.keyring.keys.get(keyId);
    if (!key) throw new DeadLetterCipherError('DEAD_LETTER.KEY_UNAVAILABLE', `this dead letter is sealed with key "${keyId}", which is not configured (DEAD_LETTER_KEYS); keep old keys listed until their rows are gone`, { keyId });
    if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT) throw unreadable(keyId);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(keyId, context));
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER_BYTES));
    try {
      return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw unreadable(keyId);
    }
  }
}

function associatedData(keyId: string, c: SealContext): Buffer {
  return Buffer.from(JSON.stringify([FORMAT, keyId, c.department, c.source, c.eventId, c.topic, c.partition, c.offset]), 'utf8');
}

function unreadable(keyId: string): DeadLetterCipherError {
  return new DeadLetterCipherError('DEAD_LETTER.UNREADABLE', `this dead letter does not open with key "${keyId}": the row was changed or the key under that id is not the one that sealed it`, { keyId });
}
