import { AssociationSanctionData } from '../events/credit-event-data.dto';
import { CreditEvent } from '../events/credit-event';
import { ASSOCIATION_SANCTIONS, AssociationSanction, EVENT_TYPES, isAssociationSanction } from '../events/event-types';
import { validateUnifiedSocialCreditCode } from '../identifiers/unified-social-credit-code';
import { DepartmentError } from './department.errors';

/**
 * Who an association's members are:
 * - `listed`: the association keeps a member list in the registry (unified social credit codes);
 *   it may sanction only those subjects.
 * - `declared`: no list is kept; a subject is a member when the sanction says so (data.memberSince).
 */
export type AssociationMembership = { rule: 'listed'; members: string[] } | { rule: 'declared' };

/** What makes a registry entry an industry association (行业协会商会) rather than a government department. */
export interface AssociationProfile {
  /** The industry it disciplines, a kebab-case code (construction, food, tourism): rules route measures by it. */
  industry: string;
  /** The sanctions it may impose, from ASSOCIATION_SANCTIONS: its statutes may provide fewer than all three. */
  sanctions: AssociationSanction[];
  membership: AssociationMembership;
}

/**
 * How long a sanction stays in a subject's self-discipline record (自律记录), in months from its
 * decision date. No national rule fixes these [U]: they follow the administrative-penalty
 * publicity of DOMAIN §8 (light measures briefly, serious ones for a year or more). A registry
 * entry may set its own (`association.publicityMonths`).
 */
export const DEFAULT_SANCTION_PUBLICITY_MONTHS: Readonly<Record<AssociationSanction, number>> = {
  warning: 3,
  'circulated-criticism': 6,
  'public-condemnation': 12,
};

/** The longest publicity a registry entry may set: five years, the limit of any use of dishonesty information (DOMAIN §4). */
export const MAX_SANCTION_PUBLICITY_MONTHS = 60;

const INDUSTRY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** What is wrong with an association's registry entry, one message each (empty: nothing). */
export function associationProblems(code: string, profile: unknown): string[] {
  if (!profile || typeof profile !== 'object') return [`${code}: an association needs "association": { industry, sanctions, membership }`];
  const { industry, sanctions, membership } = profile as Partial<Record<keyof AssociationProfile, unknown>>;
  const problems: string[] = [];
  if (typeof industry !== 'string' || !INDUSTRY.test(industry)) problems.push(`${code}: association.industry must be a kebab-case code such as "construction"`);
  if (!Array.isArray(sanctions) || sanctions.length === 0) problems.push(`${code}: association.sanctions must list at least one of ${ASSOCIATION_SANCTIONS.join(', ')}`);
  else for (const sanction of sanctions) if (!isAssociationSanction(sanction)) problems.push(`${code}: unknown association sanction "${String(sanction)}" (known: ${ASSOCIATION_SANCTIONS.join(', ')})`);
  const rule = (membership as { rule?: unknown } | undefined)?.rule;
  if (rule === 'listed') {
    const members = (membership as { members?: unknown }).members;
    if (!Array.isArray(members)) problems.push(`${code}: association.membership.members must be a list of unified social credit codes`);
    else
      members.forEach((member, i) => {
        try {
          if (validateUnifiedSocialCreditCode(String(member)) !== member) problems.push(`${code}: association.membership.members[${i}] must be written upper case, without spaces`);
        } catch {
          problems.push(`${code}: association.membership.members[${i}] is not a valid unified social credit code`);
        }
      });
  } else if (rule !== 'declared') {
    problems.push(`${code}: association.membership.rule must be "listed" (with members) or "declared"`);
  }
  return problems;
}

/**
 * An association publishes sanctions only: of its own kinds, in its own industry, about its own
 * members. Called after the department checks (source and event type), so the event is its own.
 */
export function authoriseAssociationSanction(code: string, profile: AssociationProfile, event: CreditEvent): void {
  if (event.type !== EVENT_TYPES.associationSanction) return;
  const data = event.data as AssociationSanctionData;
  if (!profile.sanctions.includes(data.sanction)) {
    throw new DepartmentError('ASSOCIATION.SANCTION_NOT_ALLOWED', `association "${code}" may not impose "${data.sanction}" (it may impose: ${profile.sanctions.join(', ')})`, {
      association: code,
      sanction: data.sanction,
      allowed: profile.sanctions,
    });
  }
  if (data.industry !== profile.industry) {
    throw new DepartmentError('ASSOCIATION.INDUSTRY_MISMATCH', `association "${code}" disciplines the industry "${profile.industry}", not "${data.industry}"`, {
      association: code,
      industry: data.industry,
    });
  }
  if (!isMember(profile.membership, data)) {
    // The identifier is not in the context: it may be a natural person's.
    throw new DepartmentError(
      'SUBJECT.NOT_A_MEMBER',
      profile.membership.rule === 'listed'
        ? `the subject is not on the member list of association "${code}": an association sanctions only its own members`
        : `association "${code}" keeps no member list: a sanction must state the day the subject joined (data.memberSince)`,
      { association: code, membership: profile.membership.rule },
    );
  }
}

function isMember(membership: AssociationMembership, data: AssociationSanctionData): boolean {
  if (membership.rule === 'declared') return data.memberSince !== undefined;
  return data.subject.idType === 'USCC' && membership.members.includes(data.subject.id);
}
