import { canonicalJson, eventContentHash } from './event-content-hash';
import { parseCreditEvent } from './parse-credit-event';

const event = () => ({
  specversion: '1.0',
  id: 'e-1',
  source: '/departments/tax',
  type: 'credit.penalty.imposed.v1',
  subject: '91350200776049653A',
  time: '2026-11-20T08:00:00Z',
  data: { subject: { kind: 'enterprise', idType: 'USCC', id: '91350200776049653a', name: '某公司' }, documentNumber: '税罚〔2026〕1号', decidedOn: '2026-11-19', severity: 'serious', penaltyType: 'fine', reason: 'tax-evasion' },
});

describe('eventContentHash', () => {
  it('is the same for the same event however it is written, delivered or re-parsed', () => {
    const first = parseCreditEvent(event());
    const { reason, ...rest } = event().data;
    const reordered: unknown = JSON.parse(JSON.stringify({ ...event(), data: { reason, ...rest, subject: { ...rest.subject, id: ' 91350200776049653A ' } } }));
    expect(eventContentHash(parseCreditEvent(reordered))).toBe(eventContentHash(first));
    expect(eventContentHash(parseCreditEvent(JSON.parse(JSON.stringify(first))))).toBe(eventContentHash(first));
    expect(eventContentHash(parseCreditEvent({ ...event(), datacontenttype: 'application/json', traceparent: '00-ab-01' }))).toBe(eventContentHash(first));
    expect(eventContentHash(first)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('differs when the content differs', () => {
    const base = eventContentHash(parseCreditEvent(event()));
    expect(eventContentHash(parseCreditEvent({ ...event(), time: '2026-11-20T08:00:01Z' }))).not.toBe(base);
    expect(eventContentHash(parseCreditEvent({ ...event(), data: { ...event().data, severity: 'general' } }))).not.toBe(base);
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: undefined, a: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"a":"x","d":1}]}');
  });
});
