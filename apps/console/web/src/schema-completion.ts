import type { Completion, CompletionContext, CompletionResult, CompletionSource } from '@codemirror/autocomplete';
import { findNodeAtLocation, getLocation, parseTree, type Segment } from 'jsonc-parser';

/**
 * Completion of a rule file from its JSON Schema (rules/memorandum.schema.json): property names
 * where a key goes, enum values where a value goes, and the registries' values (departments,
 * lists, instruments, event types) where the schema says a field names one.
 *
 * Our own source on @codemirror/autocomplete and jsonc-parser (already used for the problems'
 * spans) rather than codemirror-json-schema: that package pulls in shiki, markdown-it, yaml and
 * json-schema-library for hover docs and YAML we do not need, for what is here a walk of one
 * schema of plain properties / items / $ref / oneOf at the cursor's JSON path.
 */
export interface JsonSchema {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** Values of the registries a rule file names; a field's values come from the one its path points at. */
export interface CompletionVocabulary {
  departments: { code: string; name: { zh: string; en?: string } }[];
  lists: { code: string; name: { zh: string; en?: string } }[];
  instruments: { id: string; title: { zh: string; en?: string } }[];
  eventTypes: string[];
}

type Registry = keyof CompletionVocabulary;

/** Which registry a value at this path names: the schema only says so in prose ("Department code"), so the fields are listed here. */
export function registryAt(path: readonly Segment[], siblingFact: string | undefined): Registry | undefined {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (last === 'implementingDepartment' || last === 'identifyingDepartment' || (parent === 'cooperatingDepartments' && typeof last === 'number')) return 'departments';
  if (last === 'instrument' && path.includes('legalBasis')) return 'instruments';
  if ((last === 'code' && parent === 'list') || last === 'toList') return 'lists';
  // A condition's value (or an item of it) names what its fact is about.
  const valueAt = last === 'value' ? path.length - 1 : parent === 'value' && typeof last === 'number' ? path.length - 2 : -1;
  if (valueAt >= 0) {
    if (siblingFact === 'eventType') return 'eventTypes';
    if (siblingFact === 'sourceDepartment') return 'departments';
    if (siblingFact === 'listCode') return 'lists';
  }
  return undefined;
}

/** The schemas that may hold at `path`, every $ref followed and every oneOf/anyOf/allOf branch kept: a key or value any of them allows is offered. */
export function schemasAt(root: JsonSchema, path: readonly Segment[]): JsonSchema[] {
  let current = expand(root, root);
  for (const segment of path) {
    const next: JsonSchema[] = [];
    for (const schema of current) {
      const child = typeof segment === 'number' ? schema.items : schema.properties?.[segment];
      if (child) next.push(...expand(child, root));
    }
    current = next;
  }
  return current;
}

function expand(schema: JsonSchema, root: JsonSchema, seen = new Set<JsonSchema>()): JsonSchema[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const target = schema.$ref ? resolveRef(root, schema.$ref) : schema;
  if (!target) return [];
  const branches = [...(target.oneOf ?? []), ...(target.anyOf ?? []), ...(target.allOf ?? [])];
  if (target !== schema) return expand(target, root, seen);
  return [schema, ...branches.flatMap((branch) => expand(branch, root, seen))];
}

function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return node as JsonSchema | undefined;
}

/** The token the cursor is in or just after: a string begun (its quote included) or a bare word. */
const TOKEN = /"(?:[^"\\]|\\.)*|[\w.-]+/;

export function schemaCompletionSource(schema: JsonSchema, vocabulary: () => CompletionVocabulary | undefined, language: () => 'zh' | 'en'): CompletionSource {
  return (context: CompletionContext): CompletionResult | null => {
    const text = context.state.doc.toString();
    const location = getLocation(text, context.pos);
    const before = context.matchBefore(new RegExp(`(?:${TOKEN.source})$`));
    if (!before && !context.explicit) return null;
    const from = before?.from ?? context.pos;
    // A closing quote right after the cursor is replaced too, so the value is not left with two.
    const to = before?.text.startsWith('"') && text[context.pos] === '"' ? context.pos + 1 : context.pos;
    const root = parseTree(text);
    let options: Completion[];
    if (location.isAtPropertyKey) {
      const parentPath = location.path.slice(0, -1);
      const present = new Set((root && findNodeAtLocation(root, parentPath))?.children?.map((p) => p.children?.[0]?.value as string) ?? []);
      const typed = location.path[location.path.length - 1];
      const keys = new Map<string, JsonSchema>();
      for (const candidate of schemasAt(schema, parentPath)) {
        for (const [key, child] of Object.entries(candidate.properties ?? {})) if (!keys.has(key) && (!present.has(key) || key === typed)) keys.set(key, child);
      }
      options = [...keys].map(([key, child]) => ({ label: JSON.stringify(key), type: 'property', detail: describe(child, schema), apply: JSON.stringify(key) }));
    } else {
      const values = new Map<string, Completion>();
      for (const candidate of schemasAt(schema, location.path)) {
        for (const value of [...(candidate.enum ?? []), ...('const' in candidate ? [candidate.const] : []), ...(typeOf(candidate).includes('boolean') ? [true, false] : [])]) {
          const label = JSON.stringify(value);
          values.set(label, { label, type: 'enum', ...(candidate.description ? { info: candidate.description } : {}) });
        }
      }
      const fact = root ? (findNodeAtLocation(root, [...conditionPath(location.path), 'fact'])?.value as string | undefined) : undefined;
      const registry = registryAt(location.path, fact);
      const words = vocabulary();
      if (registry && words) for (const option of registryOptions(words, registry, language())) values.set(option.label, option);
      options = [...values.values()];
    }
    if (options.length === 0) return null;
    return { from, to, options, validFor: /^"?[\w.-]*"?$/ };
  };
}

/** The path of the condition object a value (or a value's item) belongs to. */
function conditionPath(path: readonly Segment[]): Segment[] {
  const at = path.lastIndexOf('value');
  return at >= 0 ? path.slice(0, at) : [...path];
}

function registryOptions(words: CompletionVocabulary, registry: Registry, language: 'zh' | 'en'): Completion[] {
  const pick = (text: { zh: string; en?: string }) => (language === 'en' ? (text.en ?? text.zh) : text.zh);
  switch (registry) {
    case 'departments':
      return words.departments.map((d) => ({ label: JSON.stringify(d.code), detail: pick(d.name), type: 'constant' }));
    case 'lists':
      return words.lists.map((l) => ({ label: JSON.stringify(l.code), detail: pick(l.name), type: 'constant' }));
    case 'instruments':
      return words.instruments.map((i) => ({ label: JSON.stringify(i.id), detail: pick(i.title), type: 'constant' }));
    case 'eventTypes':
      return words.eventTypes.map((type) => ({ label: JSON.stringify(type), type: 'constant' }));
  }
}

function typeOf(schema: JsonSchema): string[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** A short hint beside a property name: its type or its enum's first values. */
function describe(schema: JsonSchema, root: JsonSchema): string | undefined {
  const [first] = expand(schema, root);
  if (!first) return undefined;
  if (first.enum) return first.enum.slice(0, 3).map((v) => JSON.stringify(v)).join(' | ') + (first.enum.length > 3 ? ' …' : '');
  return typeOf(first).join(' | ') || (first.properties ? 'object' : undefined);
}
