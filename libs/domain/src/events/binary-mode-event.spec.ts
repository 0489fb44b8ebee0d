import { binaryModeEvent } from './binary-mode-event';

describe('binaryModeEvent', () => {
  it('makes the attributes, the content type and the data one structured event', () => {
    const event = binaryModeEvent({ attributes: [['specversion', '1.0'], ['id', 'e-1'], ['traceparent', 'x']], contentType: 'application/json', data: { a: 1 } });
    expect(event).toEqual({ specversion: '1.0', id: 'e-1', traceparent: 'x', datacontenttype: 'application/json', data: { a: 1 } });
  });

  it('reads a UTF-8 charset parameter as plain application/json, and passes any other type on for admission to judge', () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"']) expect(binaryModeEvent({ attributes: [], contentType: type, data: {} }).datacontenttype).toBe('application/json');
    expect(binaryModeEvent({ attributes: [], contentType: 'text/csv', data: {} }).datacontenttype).toBe('text/csv');
    expect(binaryModeEvent({ attributes: [], contentType: undefined, data: {} })).toEqual({ data: {} });
  });

  it('keeps the body as data whatever the headers say, and a prototype key as an own key for admission to refuse', () => {
    const event = binaryModeEvent({ attributes: [['data', 'header'], ['__proto__', 'x']], contentType: undefined, data: { b: 2 } });
    expect(event.data).toEqual({ b: 2 });
    expect(Object.keys(event)).toContain('__proto__');
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
  });
});
