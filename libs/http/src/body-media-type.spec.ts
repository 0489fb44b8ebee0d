import { hasContent, parseMediaType, requestMediaType, unsupportedMediaType } from './body-media-type';
import { cloudEventRequestOf } from './cloud-event-http';

describe('the media types a body may have', () => {
  const withBody = (type?: string) => ({ ...(type === undefined ? {} : { 'content-type': type }), 'content-length': '12' });

  it('reads the JSON types in any case, with a UTF-8 charset or none', () => {
    for (const type of ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json', 'Application/JSON; Charset=UTF-8', 'application/cloudevents+json;charset="utf-8"', 'application/json ; charset=utf-8 ;']) {
      expect([type, unsupportedMediaType(withBody(type))]).toEqual([type, undefined]);
    }
  });

  it('refuses other media types, other charsets, a missing or malformed type with 415 REQUEST.UNSUPPORTED_MEDIA_TYPE', () => {
    for (const type of [undefined, '', 'text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'json', 'application/json; charset']) {
      const refusal = unsupportedMediaType(withBody(type));
      expect([type, refusal?.code]).toEqual([type, 'REQUEST.UNSUPPORTED_MEDIA_TYPE']);
      expect(refusal?.context).toEqual({ accepted: ['application/json', 'application/cloudevents+json', 'application/cloudevents-batch+json'] });
    }
  });

  it('lets a request without content pass whatever its type', () => {
    expect(unsupportedMediaType({ 'content-type': 'text/plain' })).toBeUndefined();
    expect(unsupportedMediaType({ 'content-type': 'text/plain', 'content-length': '0' })).toBeUndefined();
    expect(hasContent({ 'transfer-encoding': 'chunked' })).toBe(true);
  });

  it('splits a media type into its essence and parameters', () => {
    expect(parseMediaType('Application/CloudEvents+JSON; Charset="UTF-8"; x=\\"y')).toEqual({ essence: 'application/cloudevents+json', parameters: { charset: 'UTF-8', x: '\\"y' } });
    expect(parseMediaType('text / plain')).toBeUndefined();
  });
});

describe("a request's Content-Type, parsed once", () => {
  /** Headers whose Content-Type counts its reads: a parse reads it, a parse given back does not. */
  const counting = (type: string) => {
    const headers: Record<string, string> = { 'content-length': '12' };
    let reads = 0;
    Object.defineProperty(headers, 'content-type', { enumerable: true, get: () => (reads++, type) });
    return { headers, reads: () => reads };
  };

  it('is parsed by the first who asks and given back to the others, the same object', () => {
    const { headers, reads } = counting('application/cloudevents+json; charset=utf-8');
    expect(unsupportedMediaType(headers)).toBeUndefined();
    const afterEdge = reads();
    const first = requestMediaType(headers);
    expect(first).toEqual({ essence: 'application/cloudevents+json', parameters: { charset: 'utf-8' } });
    expect(requestMediaType(headers)).toBe(first);
    expect(cloudEventRequestOf(headers, { id: 'x' })).toEqual({ mode: 'structured', event: { id: 'x' } });
    expect(reads()).toBe(afterEdge);
  });

  it('is undefined when absent or not a media type, and refused as before', () => {
    expect(requestMediaType({})).toBeUndefined();
    const malformed = { 'content-type': 'json', 'content-length': '2' };
    expect(requestMediaType(malformed)).toBeUndefined();
    expect(unsupportedMediaType(malformed)?.message).toMatch(/^Content-Type is not a media type/);
  });
});
