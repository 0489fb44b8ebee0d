import { decodeCloudEvent, encodeBinaryCloudEvent, encodeBinaryCloudEventJson } from './cloud-event-kafka.codec';

describe('CloudEvents Kafka binding', () => {
  it('decodes structured mode: the whole event is the value', () => {
    const event = { specversion: '1.0', id: '1', type: 't', data: { a: 1 } };
    expect(decodeCloudEvent(Buffer.from(JSON.stringify(event)), { 'content-type': Buffer.from('application/cloudevents+json') })).toEqual(event);
  });

  it('reads binary mode as HTTP does (binaryModeEvent): a UTF-8 charset is plain JSON, the value is the data even beside a ce_data header', () => {
    const headers = { ce_specversion: Buffer.from('1.0'), ce_data: Buffer.from('header'), 'content-type': Buffer.from('application/json; charset=UTF-8') };
    expect(decodeCloudEvent(Buffer.from('{"a":1}'), headers)).toEqual({ specversion: '1.0', datacontenttype: 'application/json', data: { a: 1 } });
  });

  it('decodes binary mode: attributes in ce_ headers, data in the value', () => {
    const headers = { ce_specversion: Buffer.from('1.0'), ce_id: Buffer.from('1'), ce_type: Buffer.from('t'), 'content-type': Buffer.from('application/json') };
    expect(decodeCloudEvent(Buffer.from('{"a":1}'), headers)).toEqual({ specversion: '1.0', id: '1', type: 't', datacontenttype: 'application/json', data: { a: 1 } });
  });

  it('refuses an empty or unparseable value with a typed error', () => {
    expect(() => decodeCloudEvent(null, undefined)).toThrow(expect.objectContaining({ code: 'EVENT.MALFORMED_JSON' }));
    expect(() => decodeCloudEvent(Buffer.from('nope'), undefined)).toThrow(expect.objectContaining({ code: 'EVENT.MALFORMED_JSON' }));
  });

  it('encodes decisions in binary mode, round-tripping through the decoder', () => {
    const message = encodeBinaryCloudEvent({ id: 'r1', source: '/credit-engine', type: 'credit.decision.issued.v1', subject: 'S', time: '2026-01-01T00:00:00.000Z', data: { x: 1 } }, 'S', { feed_cursor: '7' });
    expect(message.key).toBe('S');
    const headers = Object.fromEntries(Object.entries(message.headers!).map(([k, v]) => [k, Buffer.from(String(v))]));
    const decoded = decodeCloudEvent(Buffer.from(String(message.value)), headers) as Record<string, unknown>;
    expect(decoded).toMatchObject({ id: 'r1', subject: 'S', type: 'credit.decision.issued.v1', data: { x: 1 } });
    // Only ce_ headers are CloudEvents attributes; the feed cursor header stays a header.
    expect(decoded).not.toHaveProperty('feed_cursor');
  });

  it('sends stored JSON text as its UTF-8 bytes, unchanged', () => {
    const json = '{"subject":{"name":"利州区蜀道化工有限公司"},"measures":[]}';
    const message = encodeBinaryCloudEventJson({ id: 'r2', source: '/credit-engine', type: 'credit.decision.issued.v1', subject: 'S', time: '2026-01-01T00:00:00.000Z' }, json, 'S');
    expect(Buffer.isBuffer(message.value)).toBe(true);
    expect((message.value as Buffer).equals(Buffer.from(json, 'utf8'))).toBe(true);
    expect(message.headers).toMatchObject({ ce_id: 'r2', ce_specversion: '1.0', 'content-type': 'application/json' });
  });
});
