import { isUri } from './is-uri.decorator';
import { dataschemaFitsType, dataschemaPatternFor, engineSchemaNamedBy, eventSchemaPath } from './event-schema-url';

describe('isUri (RFC 3986, as ajv-formats checks format "uri")', () => {
  it.each(['https://credit.example/schemas/credit.penalty.imposed.v1.json', 'http://[::1]:8080/s.json', 'urn:example:schema:1', 'https://credit.example/s.json?v=1#/defs', 'mailto:office@credit.example'])('accepts %s', (value) => {
    expect(isUri(value)).toBe(true);
  });

  it.each(['not a uri', '', '/schemas/credit.penalty.imposed.v1.json', 'schemas/x.json', 'https://credit.example/a b', 'https://例子.cn/s.json', 'https://credit.example/%zz'])('refuses %j', (value) => {
    expect(isUri(value)).toBe(false);
  });

  it('refuses what is not a string', () => {
    for (const value of [null, undefined, 42, ['https://x/'], { href: 'https://x/' }]) expect(isUri(value)).toBe(false);
  });
});

describe('dataschema naming an engine schema', () => {
  const type = 'credit.penalty.imposed.v1' as const;

  it('serves each type under /schemas/<type>.json', () => {
    expect(eventSchemaPath(type)).toBe('/schemas/credit.penalty.imposed.v1.json');
  });

  it.each([
    ['https://credit.example/schemas/credit.penalty.imposed.v1.json', 'credit.penalty.imposed.v1'],
    ['https://credit.example/gateway/schemas/credit.honour.granted.v1.json?v=2#top', 'credit.honour.granted.v1'],
    ['https://credit.example/other?next=/schemas/credit.honour.granted.v1.json', undefined],
    ['https://registry.example/schemas/penalty.json', undefined],
    ['urn:example:schema:1', undefined],
  ])('%s names %s', (uri, named) => {
    expect(engineSchemaNamedBy(uri)).toBe(named);
  });

  it('fits any schema but the engine\'s of another type, and the JSON Schema pattern says the same', () => {
    const pattern = dataschemaPatternFor(type);
    const matches = (uri: string) => !new RegExp(pattern.anyOf[0].not.pattern, 'u').test(uri) || new RegExp(pattern.anyOf[1].pattern, 'u').test(uri);
    for (const [uri, fits] of [
      ['https://credit.example/schemas/credit.penalty.imposed.v1.json', true],
      ['https://credit.example/schemas/credit.penalty.imposed.v1.json#x', true],
      ['https://registry.example/schemas/penalty.json', true],
      ['https://credit.example/other?next=/schemas/credit.honour.granted.v1.json', true],
      ['https://credit.example/schemas/credit.honour.granted.v1.json', false],
      ['https://credit.example/schemas/credit.penalty.imposed.v2.json', false],
      ['https://credit.example/schemas/credit.penaltyXimposed.v1.json', false],
    ] as const) {
      expect({ uri, fits: dataschemaFitsType(uri, type) }).toEqual({ uri, fits });
      expect({ uri, fits: matches(uri) }).toEqual({ uri, fits });
    }
  });
});
