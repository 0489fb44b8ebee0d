import { pathSegments, spanOfPath } from '../web/src/json-path-offset';

// The editor marks a problem at its JSON path: the path's value, found in the text as written.
describe('spanOfPath', () => {
  const text = '{\n  "id": "x",\n  "rules": [\n    { "conditions": { "all": [ { "fact": "list", "operator": "equall", "value": "JD" } ] } }\n  ],\n  "a-b": [1, 2]\n}\n';
  const at = (path: string) => {
    const { from, to } = spanOfPath(text, path);
    return text.slice(from, to);
  };

  it('reads dotted, indexed and quoted segments', () => {
    expect(pathSegments('$.rules[2].conditions.all[0].operator')).toEqual(['rules', 2, 'conditions', 'all', 0, 'operator']);
    expect(pathSegments("$['a-b'][1]")).toEqual(['a-b', 1]);
    expect(pathSegments('$')).toEqual([]);
  });

  it("spans the value a path names, the string's quotes included", () => {
    expect(at('$.rules[0].conditions.all[0].operator')).toBe('"equall"');
    expect(at('$.id')).toBe('"x"');
    expect(at("$['a-b'][1]")).toBe('2');
  });

  it('falls back to the deepest part of the path the text has, and to the whole file for $', () => {
    expect(at('$.rules[0].conditions.all[0].missing')).toBe('{ "fact": "list", "operator": "equall", "value": "JD" }');
    expect(at('$.rules[5].name')).toBe(text.slice(text.indexOf('['), text.indexOf('],\n') + 1));
    expect(at('$')).toBe(text.slice(0, text.lastIndexOf('}') + 1));
  });

  it('marks the first character of text that is not JSON at all', () => {
    expect(spanOfPath('', '$.id')).toEqual({ from: 0, to: 0 });
    expect(spanOfPath('nonsense', '$.id')).toEqual({ from: 0, to: 1 });
  });
});
