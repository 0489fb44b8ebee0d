import { relayedHeaders } from './peer-bridge';

describe('relayedHeaders: a copy as the local publisher of its peer', () => {
  it("replaces a binary-mode copy's source with the publisher's and says which peer it came from, keeping id, type and the rest", () => {
    const headers = { ce_specversion: '1.0', ce_id: 'b0e1…', ce_source: '/deployments/lizhou', ce_type: 'credit.judgment-debtor.listed.v1', 'content-type': 'application/json', exchange_seq: '7' };
    expect(relayedHeaders(headers, '/departments/lizhou-district', 'lizhou')).toEqual({ ...headers, ce_source: '/departments/lizhou-district', exchange_from: 'lizhou' });
    expect(headers.ce_source).toBe('/deployments/lizhou');
  });

  it('leaves a structured-mode message its own source, for the engine to refuse by name', () => {
    expect(relayedHeaders({ 'content-type': 'application/cloudevents+json' }, '/departments/lizhou-district', 'lizhou')).toEqual({ 'content-type': 'application/cloudevents+json', exchange_from: 'lizhou' });
    expect(relayedHeaders(undefined, '/departments/lizhou-district', 'lizhou')).toEqual({ exchange_from: 'lizhou' });
  });
});
