import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { CompletionVocabulary, JsonSchema, schemaCompletionSource, schemasAt } from '../web/src/schema-completion';

// The draft editor's completion, from the rule files' own schema: what it offers where the cursor is.
describe('schema completion of a rule file', () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '../../../rules/memorandum.schema.json'), 'utf8')) as JsonSchema;
  const vocabulary: CompletionVocabulary = {
    departments: [{ code: 'finance', name: { zh: '区财政局', en: 'District Finance Bureau' } }],
    lists: [{ code: 'judgment-debtor', name: { zh: '失信被执行人名单', en: 'List of dishonest judgment debtors' } }],
    instruments: [{ id: 'government-procurement-law', title: { zh: '《中华人民共和国政府采购法》' } }],
    eventTypes: ['credit.judgment-debtor.listed.v1'],
  };
  const source = schemaCompletionSource(schema, () => vocabulary, () => 'zh');

  /** The completion at the `|` in `text` (removed), and the text once the option labelled `pick` is applied. */
  function complete(text: string, explicit = false): { result: CompletionResult | null; labels: string[]; apply: (label: string) => string } {
    const pos = text.indexOf('|');
    const doc = text.slice(0, pos) + text.slice(pos + 1);
    const result = source(new CompletionContext(EditorState.create({ doc }), pos, explicit)) as CompletionResult | null;
    return {
      result,
      labels: result?.options.map((o) => o.label) ?? [],
      apply: (label) => {
        const option = result!.options.find((o) => o.label === label)!;
        return doc.slice(0, result!.from) + String(option.apply ?? option.label) + doc.slice(result!.to ?? pos);
      },
    };
  }

  const condition = (inner: string) => `{ "rules": [ { "name": "r", "conditions": { "all": [ { "fact": "eventType", ${inner} } ] } } ] }`;

  it("offers the operators where a condition's operator goes, and replaces the string begun", () => {
    const at = complete(condition('"operator": "equ|"'));
    expect(at.labels).toEqual(expect.arrayContaining(['"equal"', '"notEqual"', '"in"', '"greaterThanInclusive"']));
    expect(at.apply('"equal"')).toBe(condition('"operator": "equal"'));
    // An empty value asked for explicitly (Ctrl-Space) offers them too.
    expect(complete(condition('"operator": |'), true).labels).toContain('"equal"');
  });

  it("offers a condition's property names not yet written, through the schema's oneOf and $ref", () => {
    const at = complete(condition('"|'));
    expect(at.labels).toEqual(expect.arrayContaining(['"operator"', '"value"', '"path"', '"all"', '"any"', '"not"']));
    expect(at.labels).not.toContain('"fact"');
    expect(complete('{ "measures": [ { "cat|" } ] }').labels).toContain('"category"');
  });

  it("offers a measure's enum values and the registries' codes where a field names one", () => {
    expect(complete('{ "measures": [ { "severityRequired": "|" } ] }').labels).toEqual(['"serious"', '"general"', '"any"']);
    const department = complete('{ "measures": [ { "implementingDepartment": "fi|" } ] }');
    expect(department.labels).toEqual(['"finance"']);
    expect(department.result!.options[0].detail).toBe('区财政局');
    expect(complete('{ "measures": [ { "legalBasis": [ { "instrument": "|" } ] } ] }').labels).toEqual(['"government-procurement-law"']);
    expect(complete('{ "list": { "code": "|" } }').labels).toEqual(['"judgment-debtor"']);
    // A condition's value names what its fact is about.
    expect(complete(condition('"operator": "in", "value": [ "|" ]')).labels).toEqual(['"credit.judgment-debtor.listed.v1"']);
    expect(complete('{ "repair": { "allowed": |' , true).labels).toEqual(['true', 'false']);
  });

  it('offers nothing where the schema allows anything', () => {
    expect(complete('{ "documentNumber": "|" }').result).toBeNull();
    expect(schemasAt(schema, ['no-such-property'])).toEqual([]);
  });
});
