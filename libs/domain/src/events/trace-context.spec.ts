import { childSpanOf, parseTraceparent, requestIdFrom, traceContextOf, traceIdOf } from './trace-context';

const PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it('parses a W3C traceparent and refuses malformed or all-zero ones', () => {
    expect(parseTraceparent(PARENT)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', flags: '01' });
    for (const bad of ['', 'garbage', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'])
      expect(parseTraceparent(bad)).toBeUndefined();
  });

  it('continues the caller trace with a span of its own, or starts a new trace', () => {
    const child = childSpanOf(PARENT);
    expect(traceIdOf(child)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(parseTraceparent(child)!.spanId).not.toBe('00f067aa0ba902b7');
    const fresh = childSpanOf('not-a-traceparent');
    expect(parseTraceparent(fresh)).toBeDefined();
    expect(traceIdOf(fresh)).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('keeps a short, safe request id and replaces any other', () => {
    expect(requestIdFrom('req-42.a:b_c')).toBe('req-42.a:b_c');
    for (const bad of [undefined, '', 'has space', 'x'.repeat(129), 'quote"s', 'new\nline', '110101199003077777 张三'])
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('replaces a request id that could hold a personal number (11 digits in a row or more, separators aside, inside a UUID or ULID too), and keeps the others', () => {
    for (const personal of ['110101199003077777', '11010119900307777X', 'req-13800138000', '6222021234567890123', '110101900307777', '138-0013-8000', '3f2a9c4e-1b7d-4e8a-9c6b-138001380001', '110101199003077777ABCDEFGH']) {
      expect(requestIdFrom(personal)).not.toBe(personal);
      expect(requestIdFrom(personal)).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(requestIdFrom('req-1380013800')).toBe('req-1380013800');
    expect(requestIdFrom('3f2a9c4e-1b7d-4e8a-9c6b-1234ab567890')).toBe('3f2a9c4e-1b7d-4e8a-9c6b-1234ab567890');
    expect(requestIdFrom('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('01ARZ3NDEKTSV4RRFFQ69G5FAV');
  });

  it('builds both at once', () => {
    const trace = traceContextOf({ requestId: 'abc', traceparent: PARENT });
    expect(trace.requestId).toBe('abc');
    expect(traceIdOf(trace.traceparent)).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });
});
