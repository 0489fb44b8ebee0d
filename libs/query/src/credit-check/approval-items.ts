import { readFileSync } from 'node:fs';
import type { BilingualText } from '@app/domain';
import type { MeasureCategory, Memorandum } from '@app/rules';
import { CreditCheckError } from './credit-check.errors';

/**
 * For which subjects a check must name the clerk (`X-User-Id`) or the purpose: a natural
 * person's always (every query logged with querier and purpose, DOMAIN §6), an
 * organisation's too where the item says `every-subject`.
 */
export const ACCOUNTABILITY_SCOPES = ['natural-persons', 'every-subject'] as const;
export type AccountabilityScope = (typeof ACCOUNTABILITY_SCOPES)[number];
const DEFAULT_SCOPE: AccountabilityScope = 'natural-persons';

/**
 * An approval item (审批事项) a department's system checks credit for before acting
 * (嵌入审批, 应查必查), with the measures that bear on it. `departments` says who
 * typically handles the item; a check still shows only the caller's own measures.
 */
export interface ApprovalItem {
  code: string;
  name: BilingualText;
  departments: string[];
  measures: string[];
  /** Checks of which subjects need `X-User-Id`; `natural-persons` when the file does not say. */
  requireUserId: AccountabilityScope;
  /** Checks of which subjects need `purpose`; `natural-persons` when the file does not say. */
  requirePurpose: AccountabilityScope;
}

/** Whether a check of a subject of this kind must carry the user id or the purpose, under `scope`. */
export function isRequired(scope: AccountabilityScope, naturalPerson: boolean): boolean {
  return naturalPerson || scope === 'every-subject';
}

/** The validated approval items, looked up by code. */
export class ApprovalItemCatalogue {
  private readonly byCode: ReadonlyMap<string, ApprovalItem>;

  constructor(readonly items: readonly ApprovalItem[]) {
    this.byCode = new Map(items.map((item) => [item.code, item]));
  }

  get(code: string): ApprovalItem | undefined {
    return this.byCode.get(code);
  }

  codes(): string[] {
    return this.items.map((item) => item.code);
  }

  /** Measure codes of the rule set that no item maps: fine for publicity-type measures, worth a look otherwise. */
  unmapped(memoranda: readonly Pick<Memorandum, 'measures'>[]): string[] {
    const mapped = new Set(this.items.flatMap((item) => item.measures));
    return memoranda.flatMap((m) => m.measures.map((measure) => measure.code)).filter((code) => !mapped.has(code));
  }
}

const CODE = /^[a-z][a-z0-9-]{1,63}$/;

/** Shape check of the file's content; every problem is reported, each with its JSON path. */
export function parseApprovalItems(content: unknown, source: string): ApprovalItem[] {
  const problems: string[] = [];
  const items = (content as { items?: unknown } | null)?.items;
  if (!Array.isArray(items) || items.length === 0) {
    throw invalid(source, ['$.items: must be a non-empty array of approval items']);
  }
  const seen = new Set<string>();
  items.forEach((raw, i) => {
    const at = `$.items[${i}]`;
    const item = raw as Partial<ApprovalItem> | null;
    if (typeof item !== 'object' || item === null) {
      problems.push(`${at}: must be an object`);
      return;
    }
    if (typeof item.code !== 'string' || !CODE.test(item.code)) problems.push(`${at}.code: must be a lower-case kebab-case code`);
    else if (seen.has(item.code)) problems.push(`${at}.code: "${item.code}" is listed twice`);
    else seen.add(item.code);
    if (typeof item.name?.zh !== 'string' || typeof item.name?.en !== 'string' || !item.name.zh || !item.name.en) {
      problems.push(`${at}.name: needs zh and en`);
    }
    if (!isStringArray(item.departments) || item.departments.length === 0) problems.push(`${at}.departments: must be a non-empty array of department codes`);
    if (!isStringArray(item.measures) || item.measures.length === 0) problems.push(`${at}.measures: must be a non-empty array of measure codes`);
    for (const key of ['requireUserId', 'requirePurpose'] as const) {
      if (item[key] !== undefined && !isAccountabilityScope(item[key])) problems.push(`${at}.${key}: must be one of ${ACCOUNTABILITY_SCOPES.join(', ')}`);
    }
  });
  if (problems.length > 0) throw invalid(source, problems);
  return (items as (Omit<ApprovalItem, 'requireUserId' | 'requirePurpose'> & Partial<ApprovalItem>)[]).map(({ code, name, departments, measures, requireUserId, requirePurpose }) => ({
    code,
    name: { zh: name.zh, en: name.en },
    departments: [...departments],
    measures: [...measures],
    requireUserId: requireUserId ?? DEFAULT_SCOPE,
    requirePurpose: requirePurpose ?? DEFAULT_SCOPE,
  }));
}

/**
 * Every mapped measure must exist in the rule set and every department in the registry:
 * a typo would silently make a check answer "clear" where a sanction applies.
 */
export function validateApprovalItems(
  items: readonly ApprovalItem[],
  memoranda: readonly Pick<Memorandum, 'id' | 'measures'>[],
  knownDepartments: ReadonlySet<string>,
  source: string,
): ApprovalItemCatalogue {
  const measureCodes = new Set(memoranda.flatMap((m) => m.measures.map((measure) => measure.code)));
  const problems: string[] = [];
  items.forEach((item, i) => {
    item.measures.forEach((code, j) => {
      if (!measureCodes.has(code)) problems.push(`$.items[${i}].measures[${j}]: measure "${code}" (item "${item.code}") is not in the rule set`);
    });
    item.departments.forEach((code, j) => {
      if (!knownDepartments.has(code)) problems.push(`$.items[${i}].departments[${j}]: department "${code}" (item "${item.code}") is not in the departments registry`);
    });
  });
  if (problems.length > 0) throw invalid(source, problems);
  return new ApprovalItemCatalogue(items);
}

/** Read, shape-check and validate the approval-items file against the rule set in force. */
export function loadApprovalItems(
  file: string,
  memoranda: readonly Pick<Memorandum, 'id' | 'measures'>[],
  knownDepartments: ReadonlySet<string>,
): ApprovalItemCatalogue {
  let content: unknown;
  try {
    content = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, [`cannot read as JSON: ${(error as Error).message}`]);
  }
  return validateApprovalItems(parseApprovalItems(content, file), memoranda, knownDepartments, file);
}

/**
 * The one-word answer of a check, strongest first. Sanctions precede incentives: a red-list
 * incentive never outweighs a sanction (the red list is to be revoked once the subject is
 * dishonest), and a prohibition (deny) outweighs a limitation or stricter review (restrict),
 * which outweighs closer supervision. Among incentives the one that changes the procedure
 * most comes first. `clear`: no measure of the caller bears on this item.
 */
export const OUTCOME_PRECEDENCE = [
  'deny',
  'restrict',
  'key-supervision',
  'green-channel',
  'accept-missing-materials',
  'priority',
  'simplified-procedure',
  'fewer-inspections',
  'clear',
] as const;
export type CheckOutcome = (typeof OUTCOME_PRECEDENCE)[number];

/**
 * How each measure category counts. A grade downgrade (TAX-01, D grade) is a restriction;
 * publicity and commendation are actions of the department, not conditions on the approval,
 * so they do not change the answer (the measure is still listed).
 */
export const OUTCOME_OF_CATEGORY: Readonly<Record<MeasureCategory, CheckOutcome | null>> = {
  deny: 'deny',
  restrict: 'restrict',
  'grade-downgrade': 'restrict',
  'key-supervision': 'key-supervision',
  'green-channel': 'green-channel',
  'accept-missing-materials': 'accept-missing-materials',
  priority: 'priority',
  'simplified-procedure': 'simplified-procedure',
  'fewer-inspections': 'fewer-inspections',
  publicity: null,
  commendation: null,
};

export function checkOutcome(categories: readonly string[]): CheckOutcome {
  let best = OUTCOME_PRECEDENCE.indexOf('clear');
  for (const category of categories) {
    // A category unknown to this build (a newer rule schema) is listed but does not decide the answer.
    const outcome = OUTCOME_OF_CATEGORY[category as MeasureCategory];
    if (outcome) best = Math.min(best, OUTCOME_PRECEDENCE.indexOf(outcome));
  }
  return OUTCOME_PRECEDENCE[best];
}

function isAccountabilityScope(value: unknown): value is AccountabilityScope {
  return (ACCOUNTABILITY_SCOPES as readonly unknown[]).includes(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length > 0);
}

function invalid(source: string, problems: string[]): CreditCheckError {
  return new CreditCheckError('CHECK.INVALID_APPROVAL_ITEMS', `approval items refused (${source}):\n${problems.map((p) => `  ${p}`).join('\n')}`, { problems });
}
