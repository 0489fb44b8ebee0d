import { Rule } from 'json-rules-engine';
import { conditionTreeOf, engineInternals } from './jre-internals';

// What the compiled evaluator reads from json-rules-engine's private state: a version that
// renames or reshapes any of it fails here by name, before the differential test fails by count.
describe('json-rules-engine internals the compiled evaluator relies on', () => {
  const { operators, pathResolver } = engineInternals();

  it('the engine holds its default operators in a map that answers null for unknown names', () => {
    expect(operators.get('equal')?.evaluate('a', 'a')).toBe(true);
    expect(operators.get('in')?.evaluate('b', ['a', 'b'])).toBe(true);
    expect(operators.get('greaterThan')?.evaluate(3, 2)).toBe(true);
    expect(operators.get('no-such-operator')).toBeNull();
  });

  it("the almanac's path resolver unwraps a single JSONPath result", () => {
    expect(pathResolver({ a: { b: [1, 2] } }, '$.a.b[1]')).toBe(2);
  });

  it('new Rule leaves Condition instances with their own properties and toJSON', () => {
    const rule = new Rule({
      conditions: { all: [{ fact: 'eventType', operator: 'equal', value: 'x', priority: 2 }, { not: { fact: 'n', operator: 'in', value: ['a'] } }] },
      event: { type: 't' },
    });
    const tree = conditionTreeOf(rule);
    expect(Object.prototype.hasOwnProperty.call(tree, 'all')).toBe(true);
    const [fact, not] = tree.all;
    expect([fact.fact, fact.operator, fact.value, fact.priority]).toEqual(['eventType', 'equal', 'x', 2]);
    expect(not.not.fact).toBe('n');
    expect(tree.toJSON(false)).toEqual({
      priority: 1,
      all: [
        { operator: 'equal', value: 'x', fact: 'eventType', priority: 2 },
        { priority: 1, not: { operator: 'in', value: ['a'], fact: 'n' } },
      ],
    });
  });
});
