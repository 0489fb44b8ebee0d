import { randomBytes } from 'node:crypto';
import { DepartmentDefinition, DepartmentToken, LEGACY_TOKEN_LABEL } from './department';
import { DepartmentError } from './department.errors';
import { DepartmentRegistry, sha256Hex } from './department-registry';

/** A departments registry file as read: its departments, and whatever else it carries (a `$comment`), kept as it was. */
export interface DepartmentsDocument {
  departments: DepartmentDefinition[];
  [key: string]: unknown;
}

export interface IssuedToken {
  /** The bearer token: shown once, stored nowhere. */
  token: string;
  entry: DepartmentToken;
  document: DepartmentsDocument;
}

export interface IssueOptions {
  label?: string;
  notAfter?: Date;
  now: Date;
  /** 32 random bytes make the token: a guess has a 2^-256 chance. */
  random?: (bytes: number) => Buffer;
}

/**
 * A new token for a department, added next to the ones it holds (rotation: both work until the
 * old one is revoked). The document returned is validated as a registry, so it is never written
 * in a shape the apps would refuse.
 */
export function issueToken(document: DepartmentsDocument, code: string, options: IssueOptions): IssuedToken {
  const next = structuredClone(document);
  const department = find(next, code);
  const tokens = tokenList(department);
  const label = options.label ?? freeLabel(tokens, `t-${options.now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`);
  if (tokens.some((t) => t.label === label)) throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `department "${code}" already has a token labelled "${label}"; choose another --label`, { department: code });
  const token = `${code}.${(options.random ?? randomBytes)(32).toString('base64url')}`;
  const entry: DepartmentToken = { sha256: sha256Hex(token), label, issuedAt: options.now.toISOString(), ...(options.notAfter ? { notAfter: options.notAfter.toISOString() } : {}) };
  department.credentials = { tokens: [...tokens, entry] };
  new DepartmentRegistry(next.departments);
  return { token, entry, document: next };
}

/** The document without the department's token of that label; `remaining` are the tokens it still holds. */
export function revokeToken(document: DepartmentsDocument, code: string, label: string): { document: DepartmentsDocument; remaining: DepartmentToken[] } {
  const next = structuredClone(document);
  const department = find(next, code);
  const tokens = tokenList(department);
  if (!tokens.some((t) => t.label === label)) {
    throw new DepartmentError('DEPARTMENT.UNKNOWN_TOKEN', `department "${code}" has no token labelled "${label}" (it has: ${tokens.map((t) => t.label).join(', ') || 'none'})`, { department: code, label });
  }
  const remaining = tokens.filter((t) => t.label !== label);
  department.credentials = { tokens: remaining };
  new DepartmentRegistry(next.departments);
  return { document: next, remaining };
}

/** A department's tokens as listed, the single legacy hash read as one token. */
export function tokenList(department: DepartmentDefinition): DepartmentToken[] {
  const { credentials } = department;
  return credentials.tokens ?? [{ sha256: credentials.tokenSha256, label: LEGACY_TOKEN_LABEL }];
}

function find(document: DepartmentsDocument, code: string): DepartmentDefinition {
  const department = document.departments.find((d) => d.code === code);
  if (!department) throw new DepartmentError('DEPARTMENT.UNKNOWN', `unknown department "${code}" (known: ${document.departments.map((d) => d.code).join(', ')})`, { department: code });
  return department;
}

function freeLabel(tokens: readonly DepartmentToken[], base: string): string {
  const taken = new Set(tokens.map((t) => t.label));
  let label = base;
  for (let n = 2; taken.has(label); n++) label = `${base}-${n}`;
  return label;
}
