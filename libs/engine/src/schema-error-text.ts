import { ErrorObject } from 'ajv';

/** An Ajv problem of a configuration file as its editor reads it: the JSON path ($.plans[0].classes), then what is wrong. */
export function schemaErrorText(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1);
  const path = `$${segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('')}`;
  if (error.keyword === 'additionalProperties') return `${path}: unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  return `${path}: ${error.message}`;
}
