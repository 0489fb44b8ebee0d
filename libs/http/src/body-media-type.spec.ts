import { hasContent, parseMediaType, unsupportedMediaType } from './body-media-type';

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
