import { createHash, timingSafeEqual } from 'node:crypto';
import { CreditEvent, departmentOf } from '../events/credit-event';
import { listCodeOf } from '../events/event-catalogue';
import { ASSOCIATION_SANCTIONS, AssociationSanction, EVENT_TYPES, isEventType } from '../events/event-types';
import { associationProblems, authoriseAssociationSanction, DEFAULT_SANCTION_PUBLICITY_MONTHS, MAX_SANCTION_PUBLICITY_MONTHS } from './association';
import { Department, DepartmentDefinition, DepartmentToken, LEGACY_TOKEN_LABEL } from './department';
import { DepartmentError } from './department.errors';

/** A token the registry accepts, held as bytes to compare in constant time. */
interface AcceptedToken {
  department: Department;
  label: string;
  digest: Buffer;
  /** Epoch milliseconds from which the token is refused; absent: no end. */
  notAfter?: number;
}

/** What a bearer token proves: the department, and which of its tokens was used. */
export interface TokenHolder {
  department: Department;
  label: string;
}

const TOKEN_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The departments registry: who exists, who may publish what, and how each one proves who it is. */
export class DepartmentRegistry {
  private readonly byCode: ReadonlyMap<string, Department>;
  private readonly tokens: readonly AcceptedToken[];

  constructor(definitions: readonly DepartmentDefinition[]) {
    const problems = definitions.flatMap((d) => DepartmentRegistry.problemsOf(d));
    if (problems.length > 0) throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `invalid departments registry: ${problems.join('; ')}`);
    const byCode = new Map<string, Department>();
    for (const definition of definitions) {
      if (byCode.has(definition.code)) throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `department "${definition.code}" is declared twice`);
      byCode.set(definition.code, Object.freeze(withTokenList(definition)));
    }
    const duplicates = duplicateHashProblems([...byCode.values()]);
    if (duplicates.length > 0) throw new DepartmentError('DEPARTMENT.INVALID_REGISTRY', `invalid departments registry: ${duplicates.join('; ')}`);
    this.byCode = byCode;
    this.tokens = [...byCode.values()].flatMap((department) =>
      department.credentials.tokens.map((token) => ({
        department,
        label: token.label,
        digest: Buffer.from(token.sha256, 'hex'),
        ...(token.notAfter !== undefined ? { notAfter: Date.parse(token.notAfter) } : {}),
      })),
    );
  }

  all(): Department[] {
    return [...this.byCode.values()];
  }

  has(code: string): boolean {
    return this.byCode.has(code);
  }

  get(code: string): Department {
    const department = this.byCode.get(code);
    if (!department) throw new DepartmentError('DEPARTMENT.UNKNOWN', `unknown department "${code}"`, { department: code });
    return department;
  }

  /**
   * Departments holding a development token `dev-<code>-token` of the shipped registry — their
   * own or another department's, active or past its end: refused in production.
   */
  withDevelopmentTokens(): string[] {
    const development = new Set([...this.byCode.keys()].map((code) => sha256Hex(developmentToken(code))));
    return this.all()
      .filter((d) => d.credentials.tokens.some((token) => development.has(token.sha256)))
      .map((d) => d.code);
  }

  /** The department whose bearer token this is, or an error that does not say which part was wrong. */
  authenticate(token: string | undefined, now: Date = new Date()): Department {
    return this.identify(token, now).department;
  }

  /** Like authenticate, also naming the token used (its label), e.g. to see when a rotated-out token was last used. */
  identify(token: string | undefined, now: Date = new Date()): TokenHolder {
    if (token) {
      const digest = createHash('sha256').update(token).digest();
      const at = now.getTime();
      for (const accepted of this.tokens) {
        if (timingSafeEqual(accepted.digest, digest) && (accepted.notAfter === undefined || at < accepted.notAfter)) {
          return { department: accepted.department, label: accepted.label };
        }
      }
    }
    throw new DepartmentError('DEPARTMENT.NOT_AUTHENTICATED', 'a valid department bearer token is required (Authorization: Bearer <token>)');
  }

  /**
   * A department publishes only under its own name, only the event types the registry
   * grants it, and only about the lists it identifies.
   */
  authorisePublication(department: Department, event: CreditEvent): void {
    const publisher = departmentOf(event.source);
    if (publisher !== department.code) {
      throw new DepartmentError('DEPARTMENT.SOURCE_MISMATCH', `department "${department.code}" may not publish as "${event.source}"; use source /departments/${department.code}`, {
        department: department.code,
        source: event.source,
      });
    }
    if (!department.publishes.eventTypes.includes(event.type)) {
      throw new DepartmentError('DEPARTMENT.EVENT_TYPE_NOT_ALLOWED', `department "${department.code}" may not publish ${event.type}`, {
        department: department.code,
        type: event.type,
      });
    }
    const list = listCodeOf(event.type, event.data);
    if (list !== undefined && !department.publishes.lists.includes(list)) {
      throw new DepartmentError('DEPARTMENT.LIST_NOT_ALLOWED', `department "${department.code}" does not identify the list "${list}"`, {
        department: department.code,
        list,
      });
    }
    if (department.association) authoriseAssociationSanction(department.code, department.association, event);
    authoriseProvenance(department, event);
  }

  /** The associations of the registry (行业协会), e.g. for a check naming who sanctioned a subject. */
  associations(): Department[] {
    return this.all().filter((d) => d.kind === 'association');
  }

  /** How many months a sanction of this association stays in a subject's self-discipline record. */
  sanctionPublicityMonths(code: string): Record<AssociationSanction, number> {
    return { ...DEFAULT_SANCTION_PUBLICITY_MONTHS, ...this.byCode.get(code)?.association?.publicityMonths };
  }

  private static problemsOf(department: DepartmentDefinition): string[] {
    const problems: string[] = [];
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(department.code ?? '')) problems.push(`bad department code "${department.code}"`);
    problems.push(...credentialProblems(department));
    if (department.assessesDepartments !== undefined && typeof department.assessesDepartments !== 'boolean') problems.push(`${department.code}: assessesDepartments must be true or false`);
    if (department.rateLimitPerMinute !== undefined && !(Number.isInteger(department.rateLimitPerMinute) && department.rateLimitPerMinute >= 1)) {
      problems.push(`${department.code}: rateLimitPerMinute must be a whole number of at least 1`);
    }
    for (const type of department.publishes?.eventTypes ?? []) {
      if (!isEventType(type)) problems.push(`${department.code}: unknown event type "${type}"`);
    }
    problems.push(...publisherKindProblems(department));
    return problems;
  }
}

/** The token `config/departments.json` ships for each department, for `npm start` and the tests. */
export function developmentToken(code: string): string {
  return `dev-${code}-token`;
}

/** SHA-256 of a token as the registry stores it (hex). */
export function sha256Hex(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Only an association publishes self-discipline sanctions, and an association publishes nothing
 * else: it identifies no government list, so it cannot add to, remove from or repair one.
 */
/** What an association publishes: its sanctions, and their withdrawal. */
const ASSOCIATION_EVENT_TYPES: ReadonlySet<string> = new Set([EVENT_TYPES.associationSanction, EVENT_TYPES.associationSanctionWithdrawn]);

function publisherKindProblems(department: DepartmentDefinition): string[] {
  const { code, kind } = department;
  if (kind !== undefined && kind !== 'department' && kind !== 'association' && kind !== 'deployment') return [`${code}: kind must be "department", "association" or "deployment"`];
  if (kind === 'deployment' && department.assessesDepartments) return [`${code}: a peer deployment does not assess departments`];
  const sanctions = (department.publishes?.eventTypes ?? []).some((type) => ASSOCIATION_EVENT_TYPES.has(type));
  if (kind !== 'association') {
    const problems = department.association !== undefined ? [`${code}: only an entry of kind "association" has an "association" profile`] : [];
    return sanctions ? [...problems, `${code}: only an association may publish ${[...ASSOCIATION_EVENT_TYPES].join(' or ')}`] : problems;
  }
  const problems = associationProblems(code, department.association);
  const others = (department.publishes?.eventTypes ?? []).filter((type) => !ASSOCIATION_EVENT_TYPES.has(type));
  if (others.length > 0) problems.push(`${code}: an association publishes only ${[...ASSOCIATION_EVENT_TYPES].join(' and ')} (not ${others.join(', ')})`);
  if ((department.publishes?.lists ?? []).length > 0) problems.push(`${code}: an association identifies no list`);
  if (department.assessesDepartments) problems.push(`${code}: an association does not assess departments`);
  for (const [sanction, months] of Object.entries(department.association?.publicityMonths ?? {})) {
    if (!(ASSOCIATION_SANCTIONS as readonly string[]).includes(sanction)) problems.push(`${code}: association.publicityMonths names an unknown sanction "${sanction}"`);
    else if (!(Number.isInteger(months) && months >= 0 && months <= MAX_SANCTION_PUBLICITY_MONTHS)) {
      problems.push(`${code}: association.publicityMonths.${sanction} must be a whole number of months from 0 to ${MAX_SANCTION_PUBLICITY_MONTHS}`);
    }
  }
  return problems;
}

/**
 * Provenance is the relaying bridge's to give: a peer deployment must say where each event was first
 * published (the rules read that department as its source), and no one else may claim an origin.
 */
function authoriseProvenance(department: Department, event: CreditEvent): void {
  const provenance = event.data.provenance;
  if (department.kind === 'deployment' && provenance === undefined) {
    throw new DepartmentError('DEPARTMENT.PROVENANCE_REQUIRED', `"${department.code}" is a peer deployment: every event it relays carries data.provenance (origin deployment, department, source, id, route)`, { department: department.code });
  }
  if (department.kind !== 'deployment' && provenance !== undefined) {
    throw new DepartmentError('DEPARTMENT.PROVENANCE_NOT_ALLOWED', `only a peer deployment's exchange bridge relays events with data.provenance; "${department.code}" publishes its own`, { department: department.code });
  }
}

function credentialProblems(department: DepartmentDefinition): string[] {
  const credentials = (department.credentials ?? {}) as Partial<{ tokens: unknown; tokenSha256: unknown }>;
  if (credentials.tokens !== undefined && credentials.tokenSha256 !== undefined) return [`${department.code}: give credentials.tokens or the older credentials.tokenSha256, not both`];
  if (credentials.tokens === undefined) {
    return typeof credentials.tokenSha256 === 'string' && SHA256_HEX.test(credentials.tokenSha256) ? [] : [`${department.code}: credentials.tokenSha256 must be 64 hex characters (or give credentials.tokens)`];
  }
  if (!Array.isArray(credentials.tokens)) return [`${department.code}: credentials.tokens must be a list`];
  const problems: string[] = [];
  const labels = new Set<string>();
  (credentials.tokens as Partial<DepartmentToken>[]).forEach((token, i) => {
    const at = `${department.code}: credentials.tokens[${i}]`;
    if (typeof token?.sha256 !== 'string' || !SHA256_HEX.test(token.sha256)) problems.push(`${at}.sha256 must be 64 lowercase hex characters`);
    if (typeof token?.label !== 'string' || !TOKEN_LABEL.test(token.label)) problems.push(`${at}.label must be 1–64 letters, digits, ., _ or -`);
    else if (labels.has(token.label!)) problems.push(`${at}.label "${token.label}" is used twice`);
    else labels.add(token.label!);
    for (const field of ['issuedAt', 'notAfter'] as const) {
      if (token?.[field] !== undefined && (typeof token[field] !== 'string' || Number.isNaN(Date.parse(token[field]!)))) problems.push(`${at}.${field} must be an ISO 8601 date-time`);
    }
  });
  return problems;
}

/** One hash under two labels or departments would make a token's holder ambiguous. Hashes are not printed. */
function duplicateHashProblems(departments: readonly Department[]): string[] {
  const holders = new Map<string, string[]>();
  for (const department of departments) {
    for (const token of department.credentials.tokens) holders.set(token.sha256, [...(holders.get(token.sha256) ?? []), `${department.code}/${token.label}`]);
  }
  return [...holders.values()].filter((names) => names.length > 1).map((names) => `one token is listed more than once (${names.join(', ')})`);
}

function withTokenList(definition: DepartmentDefinition): Department {
  const { credentials, ...rest } = definition;
  const tokens = credentials.tokens ?? [{ sha256: credentials.tokenSha256!, label: LEGACY_TOKEN_LABEL }];
  return { ...rest, credentials: { tokens: tokens.map((token) => ({ ...token })) } };
}
