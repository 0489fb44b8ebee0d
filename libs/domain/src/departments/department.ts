import { BilingualText } from '../bilingual-text';
import type { AssociationSanction } from '../events/event-types';
import type { AssociationProfile } from './association';

/** One bearer token of a department. Several may be active at once, so a token is rotated without downtime. */
export interface DepartmentToken {
  /** SHA-256 of the bearer token, hex; the token itself is never stored. */
  sha256: string;
  /** Names the token for rotation and revocation; unique within its department. */
  label: string;
  /** When the token command issued it (ISO 8601), for the operator reading the file. */
  issuedAt?: string;
  /** Refused from this instant on (ISO 8601): the end of a rotation's overlap, or of a temporary token. */
  notAfter?: string;
}

/**
 * What kind of publisher an entry is: a government department, or an industry association
 * (行业协会) that publishes self-discipline sanctions about its members. Both hold tokens, an
 * inbound topic and ACLs alike; an association publishes under `/departments/<code>` too, so one
 * edge, one topic scheme and one provisioning serve both. A `deployment` is a peer deployment of
 * this engine (the city's, or a district's: 市区失信信息互通) whose exchange bridge relays what was
 * published there, each event carrying its `data.provenance`; it sees its own feed and statuses only.
 */
export type PublisherKind = 'department' | 'association' | 'deployment';

/** A publisher known to the platform, as declared in the departments registry: a government department unless `kind` says otherwise. */
export interface Department {
  code: string;
  name: BilingualText;
  /** Absent: a department. */
  kind?: PublisherKind;
  /** An association's industry, sanctions and members; present exactly when `kind` is `association`. */
  association?: AssociationProfile & { publicityMonths?: Partial<Record<AssociationSanction, number>> };
  publishes: {
    /** Event types this department may publish. */
    eventTypes: string[];
    /** Lists it identifies (认定部门): only it may add to, remove from or repair them. */
    lists: string[];
  };
  /** The credit office (信用办): it assesses every department (利州方案 三(三)), so it reads every department's performance. */
  assessesDepartments?: boolean;
  /** HTTP requests per minute this department may make, instead of RATE_LIMIT_DEPARTMENT_PER_MINUTE (e.g. a bulk publisher). */
  rateLimitPerMinute?: number;
  credentials: {
    tokens: DepartmentToken[];
  };
}

/**
 * A department as a registry file may declare it: `credentials.tokens`, or the single
 * `credentials.tokenSha256` of files written before rotation existed (read as one token).
 */
export type DepartmentDefinition = Omit<Department, 'credentials'> & {
  credentials: { tokens: DepartmentToken[]; tokenSha256?: undefined } | { tokenSha256: string; tokens?: undefined };
};

/** The label a legacy `credentials.tokenSha256` is known by once read. */
export const LEGACY_TOKEN_LABEL = 'legacy';
