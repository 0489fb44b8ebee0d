import { ApiProperty } from '@nestjs/swagger';
import type { ApiResponseSchemaHost } from '@nestjs/swagger';

type SchemaObject = ApiResponseSchemaHost['schema'];

export class SignInDto {
  @ApiProperty({ example: 'editor', maxLength: 64 })
  name: string;

  @ApiProperty({ example: 'dev-editor-password', maxLength: 1024, format: 'password' })
  password: string;
}

const BILINGUAL: SchemaObject = { type: 'object', required: ['zh', 'en'], properties: { zh: { type: 'string' }, en: { type: 'string' } } };
const DEPARTMENT: SchemaObject = { type: 'object', required: ['code', 'name'], properties: { code: { type: 'string', example: 'court' }, name: BILINGUAL } };

/** Response schemas, written as JSON Schema beside the TypeScript types they describe (libs/workbench memorandum-view.ts). */
export const SESSION_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['user', 'csrfToken'],
  properties: {
    user: {
      description: 'The signed-in user; null before sign-in.',
      oneOf: [{ type: 'null' }, { type: 'object', required: ['id', 'name', 'roles'], properties: { id: { type: 'string', format: 'uuid' }, name: { type: 'string' }, roles: { type: 'array', items: { type: 'string', enum: ['policy-editor', 'policy-approver', 'credit-office', 'auditor'] } } } }],
    },
    csrfToken: { type: 'string', description: 'Send it back in X-CSRF-Token on every POST.' },
  },
};

export const MEMORANDUM_LIST_SCHEMA: SchemaObject = {
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'title', 'documentNumber', 'kind', 'version', 'list', 'measures', 'rules'],
    properties: {
      id: { type: 'string', example: 'judgment-debtors' },
      title: BILINGUAL,
      documentNumber: { type: 'string', example: '发改财金〔2016〕141号' },
      kind: { type: 'string', enum: ['sanction', 'incentive'] },
      version: { type: 'string' },
      list: { type: 'object', required: ['code', 'name'], properties: { code: { type: 'string' }, name: BILINGUAL } },
      measures: { type: 'integer' },
      rules: { type: 'integer' },
    },
  },
};

/** What the rule content in force comes from (libs/engine RulesInForceService). */
export const RULE_BASE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['release', 'source', 'revision'],
  description: 'The rule set in force this is taken from: the release in force (RULES_SOURCE=database), or the rules/ directory (RULES_SOURCE=files, or before any release is in force). The JSON schemas always come from rules/; the rule cases are those the release keeps, else those in rules/.',
  properties: {
    release: { type: 'integer', minimum: 1, nullable: true, example: 3, description: 'The version of the release in force; null for rules/.' },
    source: { type: 'string', enum: ['release', 'rules/'] },
    revision: { type: 'string', example: 'sha256:0123456789abcdef', description: "The rule set's revision (content hash)." },
  },
};

export const MEMORANDUM_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['id', 'title', 'documentNumber', 'kind', 'version', 'revision', 'validity', 'list', 'repair', 'measures', 'rules', 'base', 'cases'],
  properties: {
    base: RULE_BASE_SCHEMA,
    id: { type: 'string' },
    title: BILINGUAL,
    documentNumber: { type: 'string' },
    kind: { type: 'string', enum: ['sanction', 'incentive'] },
    version: { type: 'string' },
    revision: { type: 'string', description: 'Content hash of the rule set in force.' },
    validity: { type: 'object', required: ['from'], properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } },
    list: {
      type: 'object',
      required: ['code', 'type', 'name', 'identifyingDepartment', 'defaultTermDays', 'maxTermDays'],
      properties: {
        code: { type: 'string' },
        type: { type: 'string', enum: ['black', 'red', 'key-attention'] },
        name: BILINGUAL,
        identifyingDepartment: DEPARTMENT,
        defaultTermDays: { type: 'integer' },
        maxTermDays: { type: 'integer' },
        escalation: { type: 'object', properties: { afterDays: { type: 'integer' }, toList: { type: 'string' }, note: { type: 'string' } } },
      },
    },
    repair: { type: 'object', required: ['allowed'], properties: { allowed: { type: 'boolean' }, minimumDays: { type: 'integer' } } },
    limitation: { type: 'object', properties: { years: { type: 'integer' } } },
    measures: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'text', 'category', 'implementingDepartment', 'cooperatingDepartments', 'targets', 'severityRequired', 'legalBasis'],
        properties: {
          code: { type: 'string', example: 'JD-01' },
          text: BILINGUAL,
          category: { type: 'string' },
          implementingDepartment: DEPARTMENT,
          cooperatingDepartments: { type: 'array', items: DEPARTMENT },
          targets: { type: 'array', items: { type: 'string' } },
          severityRequired: { type: 'string', enum: ['serious', 'general', 'any'] },
          durationDays: { type: 'integer' },
          feedbackDueWorkingDays: { type: 'integer' },
          legalBasis: {
            type: 'array',
            items: {
              type: 'object',
              required: ['instrument', 'article'],
              properties: {
                instrument: { type: 'object', required: ['id', 'title', 'level'], properties: { id: { type: 'string' }, title: BILINGUAL, level: { type: 'string' }, documentNumber: { type: 'string' } } },
                article: { type: 'string' },
              },
            },
          },
        },
      },
    },
    rules: {
      type: 'array',
      items: { type: 'object', required: ['name', 'when', 'measures', 'sentence'], properties: { name: { type: 'string' }, when: BILINGUAL, measures: { type: 'string', example: 'JD-01 … JD-07' }, sentence: BILINGUAL } },
    },
    cases: {
      type: 'array',
      items: {
        type: 'object',
        required: ['note', 'passed', 'measures', 'missing', 'unexpected'],
        properties: { note: { type: 'string' }, passed: { type: 'boolean' }, measures: { type: 'array', items: { type: 'string' } }, missing: { type: 'array', items: { type: 'string' } }, unexpected: { type: 'array', items: { type: 'string' } }, error: { type: 'string' } },
      },
    },
  },
};

/** A value or null, written as the session's user is (JSON Schema 2020-12, OpenAPI 3.1). */
const orNull = (schema: SchemaObject): SchemaObject => ({ oneOf: [{ type: 'null' }, schema] });
const RATE: SchemaObject = { description: 'Share of 1 (four decimals); null when there was nothing to count.', ...orNull({ type: 'number', minimum: 0, maximum: 1 }) };
const NULLABLE_NUMBER: SchemaObject = orNull({ type: 'number' });
const CHINA_WEEK: SchemaObject = { type: 'string', pattern: '^\\d{4}-W\\d{2}$', example: '2026-W48', description: 'ISO 8601 week in China time (Asia/Shanghai).' };

/** One department's figures for one week (libs/query weekly-performance.ts DepartmentWeek). */
const DEPARTMENT_WEEK: SchemaObject = {
  type: 'object',
  required: ['week', 'publication', 'tasks'],
  properties: {
    week: CHINA_WEEK,
    publication: {
      type: 'object',
      required: ['events', 'onTime', 'onTimeRate'],
      properties: { events: { type: 'integer', description: 'Events the department published that the engine received in the week.' }, onTime: { type: 'integer' }, onTimeRate: RATE },
    },
    tasks: {
      type: 'object',
      required: ['received', 'withFeedback', 'feedbackRate', 'medianTimeToFeedback', 'overdue'],
      properties: {
        received: { type: 'integer', description: 'Measure tasks created in the week that the department implements.' },
        withFeedback: { type: 'integer' },
        feedbackRate: RATE,
        medianTimeToFeedback: { type: 'object', required: ['workingDays', 'hours'], properties: { workingDays: NULLABLE_NUMBER, hours: NULLABLE_NUMBER } },
        overdue: { type: 'integer', description: "Of the week's tasks: active, due before asOf and never reported on." },
      },
    },
  },
};

export const OVERVIEW_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['performance', 'weekly', 'decisionsPerDay', 'deadLetters', 'releases', 'lists'],
  properties: {
    performance: { type: 'object', description: "The query API's department performance report (GET /v1/performance of the query API, as the credit office reads it)." },
    weekly: {
      type: 'object',
      description: "The performance report's measures, defined and computed as there, week by week: each week's rows make a report of their own.",
      required: ['period', 'asOf', 'publicationDeadlineWorkingDays', 'weeks', 'departments'],
      properties: {
        period: { type: 'object', required: ['from', 'to'], properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } },
        asOf: { type: 'string', format: 'date', description: 'China date the overdue figures are counted at.' },
        publicationDeadlineWorkingDays: { type: 'integer' },
        weeks: {
          type: 'array',
          description: 'Every ISO week the period touches, in order, each cut to the period.',
          items: { type: 'object', required: ['week', 'from', 'to'], properties: { week: CHINA_WEEK, from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } },
        },
        departments: {
          type: 'array',
          items: { type: 'object', required: ['department', 'weeks'], properties: { department: DEPARTMENT, weeks: { type: 'array', description: 'One entry per week of `weeks`, in the same order.', items: DEPARTMENT_WEEK } } },
        },
      },
    },
    decisionsPerDay: {
      type: 'array',
      items: { type: 'object', required: ['day', 'memorandumId', 'decisions'], properties: { day: { type: 'string', format: 'date' }, memorandumId: { type: 'string' }, decisions: { type: 'integer' } } },
    },
    deadLetters: {
      type: 'array',
      description: 'Dead letters received in the period, by department and error code.',
      items: {
        type: 'object',
        required: ['department', 'errorCode', 'deadLetters'],
        properties: {
          department: { description: "null: the credit office's (no department could be told, or one the registry does not know).", ...orNull(DEPARTMENT) },
          errorCode: { type: 'string', example: 'SUBJECT.BAD_CHECK_DIGIT', description: 'The stable code the message was refused with.' },
          deadLetters: { type: 'integer' },
        },
      },
    },
    releases: {
      type: 'array',
      description: 'Rule-set releases on the period\'s timeline: at their effective time, or (drafts) when they were made; oldest first.',
      items: {
        type: 'object',
        required: ['version', 'status', 'author', 'approver', 'createdAt', 'effectiveAt', 'rolledBackFrom', 'at'],
        properties: {
          version: { type: 'integer' },
          status: { type: 'string', enum: ['draft', 'scheduled', 'in-force', 'superseded'] },
          author: { type: 'string' },
          approver: orNull({ type: 'string' }),
          createdAt: { type: 'string', format: 'date-time' },
          effectiveAt: orNull({ type: 'string', format: 'date-time' }),
          rolledBackFrom: orNull({ type: 'integer' }),
          at: { type: 'string', format: 'date-time', description: 'Where it stands on the timeline: effectiveAt, or createdAt for a draft.' },
        },
      },
    },
    lists: { type: 'array', items: { type: 'object', required: ['listCode', 'active', 'name'], properties: { listCode: { type: 'string' }, active: { type: 'integer' }, name: BILINGUAL } } },
  },
};

/** A memorandum draft (libs/workbench draft-check.ts). */
export const DRAFT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['file', 'content'],
  properties: {
    file: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,79}\\.json$', example: 'judgment-debtors.json', description: 'The rule file of a memorandum in force.' },
    content: { type: 'string', maxLength: 262144, description: 'The edited text of the file.' },
    cases: {
      type: 'string',
      maxLength: 262144,
      description: "The edited text of the memorandum's rule cases (`<id>.cases.json`), when they change with it; absent: the cases in force. A change of what a memorandum decides comes with the cases that show it.",
    },
  },
};

const CODE_AND_NAME: SchemaObject = { type: 'object', required: ['code', 'name'], properties: { code: { type: 'string' }, name: BILINGUAL } };

export const DRAFT_SOURCE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['memorandum', 'file', 'content', 'casesFile', 'cases', 'base', 'vocabulary'],
  properties: {
    memorandum: { type: 'string', example: 'judgment-debtors' },
    file: { type: 'string', example: 'judgment-debtors.json' },
    content: { type: 'string', description: 'The file as it is in the rule set in force (`base`).' },
    casesFile: { type: 'string', example: 'judgment-debtors.cases.json' },
    cases: { type: 'string', description: 'The text of its rule cases in force: the release\'s own, else those in rules/ (empty when it has none yet).' },
    base: RULE_BASE_SCHEMA,
    vocabulary: {
      type: 'object',
      description: "The registries' values a rule file names (departments, lists, instruments not repealed, event types), for the editor's completion.",
      required: ['departments', 'lists', 'instruments', 'eventTypes'],
      properties: {
        departments: { type: 'array', items: CODE_AND_NAME },
        lists: { type: 'array', items: CODE_AND_NAME },
        instruments: { type: 'array', items: { type: 'object', required: ['id', 'title'], properties: { id: { type: 'string' }, title: { type: 'object', required: ['zh'], properties: { zh: { type: 'string' }, en: { type: 'string' } } } } } },
        eventTypes: { type: 'array', items: { type: 'string', example: 'credit.judgment-debtor.listed.v1' } },
      },
    },
  },
};

const RULE_PROBLEM: SchemaObject = {
  type: 'object',
  required: ['severity', 'file', 'path', 'code', 'message'],
  properties: {
    severity: { type: 'string', enum: ['error', 'warning'] },
    file: { type: 'string', example: 'judgment-debtors.json' },
    path: { type: 'string', example: '$.rules[0].conditions.all[0].operator', description: 'JSON path into the file.' },
    code: { type: 'string', example: 'RULES.UNKNOWN_OPERATOR' },
    message: { type: 'string' },
    value: { description: 'The offending value as written.' },
    suggestion: { type: 'string', example: 'equal', description: 'What it most probably should have been.' },
  },
};
const REFUSAL: SchemaObject = { type: 'string', enum: ['RULES.INVALID_FILE', 'RULES.ILLEGAL_MEASURE', 'RULES.INCONSISTENT_SET', 'RULES.EMPTY_SET'], description: 'Why the engine would refuse the set; absent when accepted.' };

/** The memorandum page's view without the rule cases' results, rendered from a draft. */
const { cases: _cases, ...MEMORANDUM_VIEW_PROPERTIES } = (MEMORANDUM_SCHEMA as { properties: Record<string, SchemaObject> }).properties;
const DRAFT_VIEW: SchemaObject = {
  type: 'object',
  description: 'The memorandum as its page renders it (measures with their legal basis, rules in plain language), from the draft; absent while the engine would refuse the set.',
  required: (MEMORANDUM_SCHEMA.required ?? []).filter((name) => name !== 'cases'),
  properties: { ...MEMORANDUM_VIEW_PROPERTIES, revision: { type: 'string', description: 'Content hash of the rule set with the draft in place.' } },
};

export const DRAFT_CHECK_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['base', 'accepted', 'errors', 'warnings'],
  properties: { base: RULE_BASE_SCHEMA, accepted: { type: 'boolean' }, refusal: REFUSAL, errors: { type: 'array', items: RULE_PROBLEM }, warnings: { type: 'array', items: RULE_PROBLEM }, view: DRAFT_VIEW },
};

export const DRAFT_CASE_RUN_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['accepted', 'errors', 'cases'],
  properties: {
    accepted: { type: 'boolean' },
    refusal: REFUSAL,
    errors: { type: 'array', items: RULE_PROBLEM },
    cases: (MEMORANDUM_SCHEMA as { properties: Record<string, SchemaObject> }).properties.cases,
  },
};
