import { parseCreditEvent } from '../events/parse-credit-event';
import { hasLooped, provenanceForPeer, relayedEventId, uuidV5 } from './exchange-route';

// The routes of the city ↔ district exchange (市区失信信息互通): what a link may send, with which
// provenance, and the id the receiving side sees.

const DEBTOR = '91510802MA6B3N4TXM';

function listing(source: string, id: string, provenance?: Record<string, unknown>) {
  return parseCreditEvent({
    specversion: '1.0',
    id,
    source,
    type: 'credit.judgment-debtor.listed.v1',
    subject: DEBTOR,
    time: '2026-11-20T08:00:00Z',
    data: { subject: { kind: 'enterprise', idType: 'USCC', id: DEBTOR, name: '广元市利州区嘉禾商贸有限公司' }, documentNumber: '（2026）川0802执1234号', decidedOn: '2026-11-20', reason: 'evading-execution', ...(provenance ? { provenance } : {}) },
  });
}

describe('exchange routes', () => {
  it("start a department's own event at this deployment, naming its department, source and id", () => {
    expect(provenanceForPeer(listing('/departments/court', 'court-1'), 'lizhou', 'guangyuan')).toEqual({
      forwarded: true,
      provenance: { deployment: 'lizhou', department: 'court', source: '/departments/court', eventId: 'court-1', route: 'lizhou' },
    });
  });

  it('keep the origin of a relayed event and append this deployment to its route', () => {
    const relayed = listing('/departments/lizhou', 'x', { deployment: 'lizhou', department: 'court', source: '/departments/court', eventId: 'court-1', route: 'lizhou' });
    expect(provenanceForPeer(relayed, 'guangyuan', 'zhaohua')).toEqual({
      forwarded: true,
      provenance: { deployment: 'lizhou', department: 'court', source: '/departments/court', eventId: 'court-1', route: 'lizhou>guangyuan' },
    });
  });

  it('never send an event back along its route, nor to this deployment itself', () => {
    const relayed = listing('/departments/lizhou', 'x', { deployment: 'lizhou', department: 'court', source: '/departments/court', eventId: 'court-1', route: 'lizhou' });
    expect(provenanceForPeer(relayed, 'guangyuan', 'lizhou')).toEqual({ forwarded: false, reason: 'peer-on-route' });
    expect(provenanceForPeer(listing('/departments/court', 'c'), 'lizhou', 'lizhou')).toEqual({ forwarded: false, reason: 'peer-on-route' });
  });

  it('stop at eight deployments', () => {
    const route = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8'].join('>');
    const relayed = listing('/departments/d8', 'x', { deployment: 'd1', department: 'court', source: '/departments/court', eventId: 'court-1', route });
    expect(provenanceForPeer(relayed, 'd9', 'd10')).toEqual({ forwarded: false, reason: 'route-too-long' });
  });

  it('tell a deployment that an event has come back to it', () => {
    const provenance = { deployment: 'lizhou', department: 'court', source: '/departments/court', eventId: 'court-1', route: 'lizhou>guangyuan' };
    expect(hasLooped(provenance, 'lizhou')).toBe(true);
    expect(hasLooped(provenance, 'guangyuan')).toBe(true);
    expect(hasLooped(provenance, 'zhaohua')).toBe(false);
  });

  it('give a relayed copy an id from its origin only: the same for a resend and for another route, another for another event', () => {
    const origin = { deployment: 'lizhou', source: '/departments/court', eventId: 'court-1' };
    const id = relayedEventId(origin);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(relayedEventId({ ...origin })).toBe(id);
    expect(relayedEventId({ ...origin, eventId: 'court-2' })).not.toBe(id);
    expect(relayedEventId({ ...origin, deployment: 'guangyuan' })).not.toBe(id);
  });

  it('compute UUIDv5 as RFC 9562 does (its test vector: the DNS namespace and www.example.com)', () => {
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
});
