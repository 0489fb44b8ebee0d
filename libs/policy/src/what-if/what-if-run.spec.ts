import { resolve } from 'node:path';
import { chinaDate, parseCreditEvent } from '@app/domain';
import { decideEvent } from '@app/engine';
import { CompiledRuleEvaluator, loadRuleSet } from '@app/rules';
import { CreditEventGenerator, vocabularyFromRules } from '@app/rules/testing';
import { HistoricEvent, HISTORY_PAGE_SIZE } from './history.reader';
import { OUTCOME_CODES } from '@app/decision-log';
import { compareEvent, HistorySource, WhatIfRun } from './what-if-run';

const ruleSet = loadRuleSet(resolve('rules'));
const rules = { ruleSet, evaluator: new CompiledRuleEvaluator(ruleSet) };
const DECIDED_AT = new Date('2026-12-01T02:00:00Z');

/** History held in memory (the PostgreSQL reader is covered by test/integration/what-if.spec.ts): events decided by the same rules, seq 1…n. */
async function historyOf(count: number): Promise<{ source: HistorySource; pagesRead: Array<[number, number]> }> {
  const generator = new CreditEventGenerator({ seed: 11, vocabulary: vocabularyFromRules(ruleSet.memoranda), strayPublisherRate: 0 });
  const events: HistoricEvent[] = [];
  while (events.length < count) {
    let event;
    try {
      event = parseCreditEvent(generator.next());
    } catch {
      continue;
    }
    const { decisions } = await decideEvent(event, rules, chinaDate(DECIDED_AT));
    events.push({
      seq: String(events.length + 1),
      source: event.source,
      eventId: event.id,
      envelope: event as unknown as Record<string, unknown>,
      decidedAt: DECIDED_AT,
      outcome: null,
      decisions: decisions.map((d) => ({
        memorandumId: d.memorandumId,
        listEntries: d.listEntries.map((e) => ({ listCode: e.listCode, listType: e.listType, subjectId: e.subject.id, validFrom: e.validFrom, validTo: e.validTo })),
        measures: d.measureTasks.map((t) => ({ measureCode: t.measureCode, implementingDepartment: t.implementingDepartment, targetIdType: t.target.idType, targetId: t.target.id, validFrom: t.validFrom, validTo: t.validTo })),
      })),
    });
  }
  const pagesRead: Array<[number, number]> = [];
  return {
    pagesRead,
    source: {
      extent: async () => ({ total: events.length, firstSeq: 1, lastSeq: events.length }),
      page: async (_from, _to, after, through) => {
        pagesRead.push([after, through]);
        return events.filter((e) => Number(e.seq) > after && Number(e.seq) <= through);
      },
    },
  };
}

describe('a repeat of a conduct another event holds (EVENT.CONDUCT_ALREADY_DECIDED)', () => {
  it('stays a repeat under the draft: the event that holds the document decides it, not its copy', async () => {
    const { source } = await historyOf(40);
    const events = await source.page(new Date(0), new Date(0), 0, 40);
    const deciding = events.find((e) => e.decisions.length > 0)!;
    // The copy as the engine stored it: no decisions, outcome no-effect.
    const copy: HistoricEvent = { ...deciding, decisions: [], outcome: { status: 'no-effect', code: OUTCOME_CODES.conductAlreadyDecided } };
    expect(await compareEvent(copy, rules)).toMatchObject({ before: 0, after: 0, differences: [] });
    // The same event without that outcome would be decided again: the rule above is what keeps it a repeat.
    expect((await compareEvent({ ...copy, outcome: null }, rules)).after).toBeGreaterThan(0);
  });
});

describe('WhatIfRun', () => {
  const period = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-02T00:00:00Z') };

  it('reads the period in ranges of sequence numbers, reports progress page by page, and finds nothing with the same rules', async () => {
    const { source, pagesRead } = await historyOf(HISTORY_PAGE_SIZE + 10);
    const progress: Array<[number, number]> = [];
    const run = new WhatIfRun('r1', period, rules, ruleSet.revision);
    await run.execute(source, (done, total) => progress.push([done, total]));
    expect(run.state).toBe('finished');
    expect(pagesRead).toEqual([
      [0, HISTORY_PAGE_SIZE],
      [HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE + 10],
    ]);
    expect(progress).toEqual([
      [0, HISTORY_PAGE_SIZE + 10],
      [HISTORY_PAGE_SIZE, HISTORY_PAGE_SIZE + 10],
      [HISTORY_PAGE_SIZE + 10, HISTORY_PAGE_SIZE + 10],
    ]);
    expect(run.summary.decisionsBefore).toBeGreaterThan(0);
    expect(run.summary).toMatchObject({ decisionsAfter: run.summary.decisionsBefore, eventsWithDifferences: 0 });
    expect(run.rows).toEqual([]);
  });

  it('stops after the page it is on when cancelled, and says so', async () => {
    const { source } = await historyOf(HISTORY_PAGE_SIZE * 2 + 1);
    const run = new WhatIfRun('r2', period, rules, ruleSet.revision);
    await run.execute(source, (done) => {
      if (done > 0) run.cancel();
    });
    expect({ state: run.state, done: run.done, total: run.total }).toEqual({ state: 'cancelled', done: HISTORY_PAGE_SIZE, total: HISTORY_PAGE_SIZE * 2 + 1 });
  });

  it('fails with the reason when the history cannot be read', async () => {
    const run = new WhatIfRun('r3', period, rules, ruleSet.revision);
    await run.execute({ extent: async () => Promise.reject(new Error('connection refused')), page: async () => [] });
    expect({ state: run.state, failure: run.failure }).toEqual({ state: 'failed', failure: 'connection refused' });
  });
});
