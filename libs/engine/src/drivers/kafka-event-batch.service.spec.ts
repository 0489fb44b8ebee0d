import { CreditEvent } from '@app/domain';
import { eventKey } from '@app/persistence';
import { chooseCandidates } from './kafka-event-batch.service';

const message = (id: string, contentHash: string) => ({ event: { source: '/departments/tax', id } as CreditEvent, contentHash });
const key = (id: string) => eventKey('/departments/tax', id);

describe('chooseCandidates', () => {
  it('decides the first message of a new identity, drops its copies and refuses other content', () => {
    const batch = [message('a', 'h1'), message('a', 'h1'), message('a', 'h2'), message('b', 'h3')];
    expect(chooseCandidates(batch, new Map())).toEqual({ candidates: [0, 3], refusedByContent: [2] });
  });

  it("holds an identity to the content the ingest received, even when another version comes first", () => {
    const batch = [message('a', 'h2'), message('a', 'h1'), message('a', 'h1')];
    expect(chooseCandidates(batch, new Map([[key('a'), { status: 'received', contentHash: 'h1' }]]))).toEqual({ candidates: [1], refusedByContent: [0] });
  });

  it('drops copies of a processed event and refuses other content, even after a reused version in the same batch', () => {
    const batch = [message('a', 'h2'), message('a', 'h1')];
    expect(chooseCandidates(batch, new Map([[key('a'), { status: 'processed', contentHash: 'h1' }]]))).toEqual({ candidates: [], refusedByContent: [0] });
    expect(chooseCandidates([message('a', 'h9')], new Map([[key('a'), { status: 'processed', contentHash: null }]]))).toEqual({ candidates: [], refusedByContent: [] });
  });
});
