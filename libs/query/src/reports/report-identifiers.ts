import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/** XYBG (信用报告) - the China date of issue - the sequence number, six digits at least. */
export const REPORT_NUMBER = /^XYBG-(\d{8})-(\d{6,})$/;

/** Characters a reader cannot mistake for one another when typing the code from paper: no 0/O, 1/I/L. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 10;
// scrypt, not a bare SHA-256: 31^10 (≈ 2^50) codes can be walked through a fast hash by anyone holding the table.
const SCRYPT = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

export function formatReportNumber(chinaDate: string, sequence: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(chinaDate) || !Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`formatReportNumber: ${chinaDate} ${sequence}`);
  return `XYBG-${chinaDate.replaceAll('-', '')}-${String(sequence).padStart(6, '0')}`;
}

export function isReportNumber(value: string): boolean {
  return REPORT_NUMBER.test(value);
}

/** A fresh verification code: CODE_LENGTH characters of CODE_ALPHABET, each drawn uniformly (randomInt has no modulo bias). */
export function newVerificationCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
}

/** A code as a person types it: case, spaces and hyphens do not matter. */
export function normaliseCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

const CODE_SHAPE = new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`);

/**
 * Whether `raw`, normalised, could be a verification code at all: exactly CODE_LENGTH characters of
 * CODE_ALPHABET. Anything else is refused before any database read or scrypt: it names no report.
 */
export function isWellFormedCode(raw: string): boolean {
  return raw.length <= 4 * CODE_LENGTH && CODE_SHAPE.test(normaliseCode(raw));
}

/** scrypt$<salt hex>$<key hex>: what is stored instead of the code. */
export async function hashVerificationCode(code: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(normaliseCode(code), salt, KEY_LENGTH, SCRYPT);
  return `scrypt$${salt.toString('hex')}$${key.toString('hex')}`;
}

/** Whether `code` is the one `stored` was made from. A stored hash of another form never matches. */
export async function codeMatches(code: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, keyHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !keyHex) return false;
  const key = await scryptAsync(normaliseCode(code), Buffer.from(saltHex, 'hex'), KEY_LENGTH, SCRYPT);
  const expected = Buffer.from(keyHex, 'hex');
  return expected.length === key.length && timingSafeEqual(key, expected);
}

/** The same work as a real comparison, for an unknown number: its answer takes as long as a wrong code's. */
export async function spendCodeComparison(code: string): Promise<void> {
  await scryptAsync(normaliseCode(code), Buffer.alloc(16), KEY_LENGTH, SCRYPT);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
