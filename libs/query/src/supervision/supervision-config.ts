import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { schemaErrorText } from '@app/engine';
import { FREQUENCIES, Frequency, MONTHS_PER_PERIOD } from './supervision-period';
import { RATIO_SCALE } from './spot-check-draw';
import { SupervisionError } from './supervision.errors';

/**
 * JSON Schema of the supervision file (SUPERVISION_FILE): per department and credit class
 * model, the inspection frequency and each class's inspection ratio. config/supervision.schema.json
 * is this object written out, for editors; a unit test keeps the two equal. What a schema cannot
 * say (known departments and models, every class covered) checkSupervisionPlans checks.
 */
export const SUPERVISION_CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://credit-engine.local/schemas/supervision.schema.json',
  title: 'Differentiated supervision plans',
  description:
    'Random spot-check plans (双随机抽查) by credit class (信用分类监管): for a department and a credit class model of rules/classes, how often a sample is drawn and which fraction of each class it takes.',
  type: 'object',
  required: ['plans'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    plans: { type: 'array', items: { $ref: '#/$defs/plan' } },
  },
  $defs: {
    plan: {
      type: 'object',
      required: ['department', 'model', 'frequency', 'classes'],
      additionalProperties: false,
      properties: {
        $comment: { type: 'string' },
        department: { description: 'A government department of config/departments.json (not an association).', type: 'string', minLength: 1 },
        model: { description: 'A credit class model id of rules/classes.', type: 'string', minLength: 1 },
        frequency: { description: 'One sample per period of this length: month (2026-11), quarter (2026-Q4), half-year (2026-H2) or year (2026); a class may be drawn less often (its own frequency).', enum: [...FREQUENCIES] },
        classes: {
          description: "Every class code of the model, each with the fraction of that class's subjects a sample takes and how often.",
          type: 'object',
          minProperties: 1,
          additionalProperties: {
            type: 'object',
            required: ['inspectionRatio'],
            additionalProperties: false,
            properties: {
              inspectionRatio: { description: 'Fraction of the stratum drawn when the class is due, 0 to 1, at most six decimals; the sample takes ceil(ratio × stratum size).', type: 'number', minimum: 0, maximum: 1 },
              frequency: {
                description: "How often the class is drawn, the plan's frequency or a longer one (e.g. year in a quarterly plan: drawn in the sample that opens each year, none in the others). Default: the plan's.",
                enum: [...FREQUENCIES],
              },
            },
          },
        },
      },
    },
  },
} as const;

/** What a plan says about one class: the fraction drawn, and how often. */
export interface ClassPlan {
  inspectionRatio: number;
  /** The plan's frequency or a longer one: the class is drawn in the samples that open a period of it. */
  frequency: Frequency;
}

/** One department's plan for one model. */
export interface SupervisionPlan {
  department: string;
  model: string;
  /** One sample per period of this length. */
  frequency: Frequency;
  /** By class code, in the model's class order. */
  classes: ReadonlyMap<string, ClassPlan>;
}

/** What the plans are checked against: the registry (kind `association` refused) and the class models. */
export interface SupervisionReferences {
  departments: ReadonlyMap<string, { kind?: string }>;
  models: readonly { id: string; classes: readonly { code: string }[] }[];
}

const validateFile = new Ajv2020({ allErrors: true, strict: false }).compile(SUPERVISION_CONFIG_SCHEMA);

/** Read, validate and check the supervision file; every problem named after SUPERVISION_FILE. */
export function loadSupervisionPlans(file: string, references: SupervisionReferences): SupervisionPlan[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw invalid(file, [`cannot read the supervision plans: ${(error as Error).message}`]);
  }
  return checkSupervisionPlans(parsed, references, file);
}

/** The plans of a parsed file, or SUPERVISION.INVALID_CONFIG with every problem, each with its JSON path. */
export function checkSupervisionPlans(content: unknown, references: SupervisionReferences, source: string): SupervisionPlan[] {
  if (!validateFile(content)) throw invalid(source, (validateFile.errors ?? []).map(schemaErrorText));
  const file = content as { plans: { department: string; model: string; frequency: Frequency; classes: Record<string, { inspectionRatio: number; frequency?: Frequency }> }[] };
  const problems: string[] = [];
  const seen = new Set<string>();
  const plans: SupervisionPlan[] = [];
  file.plans.forEach((plan, i) => {
    const at = `$.plans[${i}]`;
    const department = references.departments.get(plan.department);
    if (!department) problems.push(`${at}.department: unknown department "${plan.department}" (not in the departments registry)`);
    else if (department.kind === 'association') problems.push(`${at}.department: "${plan.department}" is an industry association; spot checks are a government department's duty`);
    const key = `${plan.department}/${plan.model}`;
    if (seen.has(key)) problems.push(`${at}: a second plan of ${plan.department} for ${plan.model}`);
    seen.add(key);
    const model = references.models.find((m) => m.id === plan.model);
    if (!model) {
      problems.push(`${at}.model: unknown credit class model "${plan.model}" (known: ${references.models.map((m) => m.id).join(', ') || 'none'})`);
      return;
    }
    const codes = model.classes.map((c) => c.code);
    for (const code of Object.keys(plan.classes)) {
      if (!codes.includes(code)) problems.push(`${at}.classes.${code}: ${plan.model} has no class "${code}" (its classes: ${codes.join(', ')})`);
    }
    for (const code of codes) {
      if (!(code in plan.classes)) problems.push(`${at}.classes: class "${code}" of ${plan.model} has no inspection ratio (every class needs one, 0 included)`);
    }
    for (const [code, { inspectionRatio, frequency }] of Object.entries(plan.classes)) {
      if (Math.abs(inspectionRatio * RATIO_SCALE - Math.round(inspectionRatio * RATIO_SCALE)) > 1e-6) {
        problems.push(`${at}.classes.${code}.inspectionRatio: at most six decimals (${inspectionRatio})`);
      }
      if (frequency !== undefined && MONTHS_PER_PERIOD[frequency] < MONTHS_PER_PERIOD[plan.frequency]) {
        problems.push(`${at}.classes.${code}.frequency: ${frequency} is more often than the plan draws (${plan.frequency}); give the plan that frequency instead`);
      }
    }
    const classes = new Map(codes.filter((c) => c in plan.classes).map((c) => [c, { inspectionRatio: plan.classes[c].inspectionRatio, frequency: plan.classes[c].frequency ?? plan.frequency }]));
    plans.push({ department: plan.department, model: plan.model, frequency: plan.frequency, classes });
  });
  if (problems.length > 0) throw invalid(source, problems);
  return plans;
}

function invalid(source: string, problems: string[]): SupervisionError {
  return new SupervisionError('SUPERVISION.INVALID_CONFIG', `SUPERVISION_FILE=${source}: ${problems.join('; ')}`, { file: source, problems });
}
