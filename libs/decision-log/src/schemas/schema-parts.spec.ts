import { closed } from './schema-parts';

/** `closed<T>()` holds a schema to its type at compile time: each @ts-expect-error below must be an error, or tsc fails. */
describe('closed<T>()', () => {
  type Example = { a: string; b?: number };
  const a = { type: 'string' };
  const b = { type: 'integer' };

  it('builds a closed object schema', () => {
    expect(closed<Example>()(['a'], { a, b }, 'x')).toEqual({ type: 'object', description: 'x', additionalProperties: false, required: ['a'], properties: { a, b } });
  });

  it('does not compile when a property of the type is missing, extra, or a required key is not required', () => {
    // @ts-expect-error b is a property of the type
    closed<Example>()(['a'], { a });
    // @ts-expect-error c is not a property of the type
    closed<Example>()(['a'], { a, b, c: a });
    // @ts-expect-error a is required by the type
    closed<Example>()([], { a, b });
    // @ts-expect-error b is optional in the type
    closed<Example>()(['a', 'b'], { a, b });
    expect(true).toBe(true);
  });
});
