import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { Engine, TopLevelCondition } from 'json-rules-engine';
import { BilingualText } from '@app/domain';
import { schemaErrorText } from '../schema-error-text';
import { CoordinationError } from './coordination.errors';
import { COORDINATION_FACT_NAMES, CoordinationFacts } from './coordination-facts';

const CODE = '^[a-z0-9]+(-[a-z0-9]+)*$';
/** The operators a criterion may use: json-rules-engine's own. */
const OPERATORS = ['equal', 'notEqual', 'lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive', 'in', 'notIn', 'contains', 'doesNotContain'] as const;
const bilingual = { type: 'object', required: ['zh', 'en'], additionalProperties: false, properties: { zh: { type: 'string', minLength: 1 }, en: { type: 'string', minLength: 1 } } } as const;

/**
 * JSON Schema of the coordination criteria (COORDINATION_FILE, 重大失信事件 → 工作协调会): each
 * criterion's json-rules-engine conditions over the facts of a decided event (CoordinationFacts),
 * and what the case it opens holds: agenda items, the meeting and the due date in working days,
 * and departments invited besides those the decisions concern.
 */
export const COORDINATION_CRITERIA_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://credit-engine.local/schemas/coordination.schema.json',
  title: 'Major dishonesty events: coordination criteria',
  type: 'object',
  required: ['criteria'],
  additionalProperties: false,
  properties: { $schema: { type: 'string' }, $comment: { type: 'string' }, criteria: { type: 'array', items: { $ref: '#/$defs/criterion' } } },
  $defs: {
    criterion: {
      type: 'object',
      required: ['id', 'description', 'conditions', 'agenda', 'meetingWithinWorkingDays', 'dueWithinWorkingDays'],
      additionalProperties: false,
      properties: {
        $comment: { type: 'string' },
        id: { type: 'string', pattern: CODE },
        description: bilingual,
        conditions: { description: 'json-rules-engine conditions (all/any/not) over the facts: ' + COORDINATION_FACT_NAMES.join(', ') + '.', $ref: '#/$defs/top' },
        agenda: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        meetingWithinWorkingDays: { type: 'integer', minimum: 1, maximum: 30 },
        dueWithinWorkingDays: { type: 'integer', minimum: 1, maximum: 60 },
        invite: { description: 'Departments invited to every case of this criterion (the credit office is always).', type: 'array', items: { type: 'string', pattern: CODE }, uniqueItems: true },
      },
    },
    top: { oneOf: [{ type: 'object', required: ['all'], additionalProperties: false, properties: { all: { $ref: '#/$defs/list' } } }, { type: 'object', required: ['any'], additionalProperties: false, properties: { any: { $ref: '#/$defs/list' } } }, { type: 'object', required: ['not'], additionalProperties: false, properties: { not: { $ref: '#/$defs/node' } } }] },
    list: { type: 'array', minItems: 1, items: { $ref: '#/$defs/node' } },
    node: { oneOf: [{ $ref: '#/$defs/top' }, { $ref: '#/$defs/fact' }] },
    fact: {
      type: 'object',
      required: ['fact', 'operator', 'value'],
      additionalProperties: false,
      properties: { fact: { enum: [...COORDINATION_FACT_NAMES] }, operator: { enum: [...OPERATORS] }, value: {} },
    },
  },
} as const;

export interface CoordinationCriterion {
  id: string;
  description: BilingualText;
  conditions: TopLevelCondition;
  agenda: readonly string[];
  meetingWithinWorkingDays: number;
  dueWithinWorkingDays: number;
  invite: readonly string[];
}

/** The criteria in force, each with its compiled engine. */
export class CoordinationCriteria {
  private readonly engines: { criterion: CoordinationCriterion; engine: Engine }[];

  constructor(readonly criteria: readonly CoordinationCriterion[]) {
    this.engines = criteria.map((criterion) => {
      const engine = new Engine([], { allowUndefinedFacts: false });
      engine.addRule({ name: criterion.id, conditions: criterion.conditions, event: { type: 'coordinate', params: { criterion: criterion.id } } });
      return { criterion, engine };
    });
  }

  /** The criteria these facts meet, in file order. */
  async matching(facts: CoordinationFacts): Promise<CoordinationCriterion[]> {
    const matched: CoordinationCriterion[] = [];
    for (const { criterion, engine } of this.engines) {
      const { events } = await engine.run({ ...facts });
      if (events.length > 0) matched.push(criterion);
    }
    return matched;
  }
}

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(COORDINATION_CRITERIA_SCHEMA);

/** Reads and checks the criteria file; COORDINATION.INVALID_CRITERIA with every problem named. */
export function loadCoordinationCriteria(file: string, departments: ReadonlySet<string>): CoordinationCriteria {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, [`cannot read the criteria: ${(error as Error).message}`]);
  }
  return checkCoordinationCriteria(parsed, departments, file);
}

export function checkCoordinationCriteria(content: unknown, departments: ReadonlySet<string>, source: string): CoordinationCriteria {
  if (!validate(content)) throw invalid(source, (validate.errors ?? []).map(schemaErrorText));
  const file = content as { criteria: (Omit<CoordinationCriterion, 'invite'> & { invite?: string[] })[] };
  const problems: string[] = [];
  const ids = new Set<string>();
  file.criteria.forEach((criterion, i) => {
    if (ids.has(criterion.id)) problems.push(`$.criteria[${i}].id: "${criterion.id}" twice`);
    ids.add(criterion.id);
    if (criterion.dueWithinWorkingDays < criterion.meetingWithinWorkingDays) problems.push(`$.criteria[${i}].dueWithinWorkingDays: before the meeting (${criterion.meetingWithinWorkingDays} working days)`);
    (criterion.invite ?? []).forEach((code, j) => {
      if (!departments.has(code)) problems.push(`$.criteria[${i}].invite[${j}]: unknown department "${code}"`);
    });
  });
  if (problems.length > 0) throw invalid(source, problems);
  return new CoordinationCriteria(file.criteria.map((c) => ({ ...c, invite: c.invite ?? [] })));
}

function invalid(source: string, problems: string[]): CoordinationError {
  return new CoordinationError('COORDINATION.INVALID_CRITERIA', `COORDINATION_FILE=${source}: ${problems.join('; ')}`, { file: source, problems });
}
