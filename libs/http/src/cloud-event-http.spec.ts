import { CloudEvent, HTTP } from 'cloudevents';
import { cloudEventRequestOf, httpAttributes } from './cloud-event-http';

/** Node gives header names in lower case. */
const lower = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]));

describe('CloudEvents HTTP binding: content modes', () => {
  const attributes = { specversion: '1.0' as const, id: 'e-1', source: '/departments/court', type: 'gov.court.judgment-debtor.listed', subject: 'S1', time: '2026-11-30T08:00:00.000Z' };
  const data = { documentNumber: 'A1' };

  it("reads the SDK's binary mode as the structured event it stands for", () => {
    const message = HTTP.binary(new CloudEvent({ ...attributes, datacontenttype: 'application/json', dataschema: 'https://example.org/s.json', traceparent: '00-abc-def-01', data }));
    const request = cloudEventRequestOf(lower(message.headers), JSON.parse(message.body as string));
    expect(request).toEqual({ mode: 'binary', event: { ...attributes, dataschema: 'https://example.org/s.json', traceparent: '00-abc-def-01', datacontenttype: 'application/json', data } });
  });

  it('tells the modes by Content-Type first, then by ce-specversion', () => {
    const binaryHeaders = { 'ce-specversion': '1.0', 'ce-id': 'e-1' };
    expect(cloudEventRequestOf({ 'content-type': 'application/cloudevents+json; charset=utf-8', ...binaryHeaders }, { id: 'x' })).toEqual({ mode: 'structured', event: { id: 'x' } });
    expect(cloudEventRequestOf({ 'content-type': 'Application/CloudEvents-Batch+JSON' }, [])).toEqual({ mode: 'batch', events: [] });
    expect(cloudEventRequestOf({ 'content-type': 'application/json' }, { id: 'x' })).toEqual({ mode: 'structured', event: { id: 'x' } });
    expect(cloudEventRequestOf({ 'content-type': 'application/json; charset=UTF-8', ...binaryHeaders }, data)).toEqual({ mode: 'binary', event: { specversion: '1.0', id: 'e-1', datacontenttype: 'application/json', data } });
  });

  it('percent-decodes header values as UTF-8 (§3.1.3.2), accepting needless encodings', () => {
    expect(httpAttributes({ 'ce-subject': 'caf%C3%A9%20%22x%22%25', 'ce-id': '%61bc', host: 'h', 'content-type': 'application/json' })).toEqual([['subject', 'café "x"%'], ['id', 'abc']]);
  });

  it('refuses invalid UTF-8, a malformed escape and unencoded non-ASCII with EVENT.BAD_CHARACTER naming the attribute', () => {
    for (const value of ['%C0%A0', '%E0%A4%A', '%ZZ', 'caf\u00e9']) {
      const refusal = (() => {
        try {
          httpAttributes({ 'ce-subject': value });
          return undefined;
        } catch (error) {
          return error as { code: string; violations: { path: string }[] };
        }
      })();
      expect([value, refusal?.code, refusal?.violations[0].path]).toEqual([value, 'EVENT.BAD_CHARACTER', 'subject']);
    }
  });
});
