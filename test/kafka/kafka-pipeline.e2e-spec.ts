import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { DecisionIssuedRecord, MeasureTerms, measureTermsRef } from '@app/decision-log';
import { AppProcess } from '../support/app-process';
import { breakCheckCharacter, CreditEventGenerator, ExpectedOutcome, RawCloudEvent, ReferenceDecider } from './support/credit-events';
import { binaryMessage, PublishingDepartments, structuredMessage } from './support/department-producer';
import { AppFleet, KafkaRun, newKafkaRun, plainKafka, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';
import { openCleanTestDatabase } from './support/test-db';
import { TopicReader } from './support/topic-reader';

/**
 * The Kafka path end to end, against the real broker and PostgreSQL: departments publish
 * credit events on the inbound topic (structured and binary CloudEvents) or over HTTP
 * through ingest-api; the engine decides; the finance department reads its decisions on
 * its topic, and the same records on the HTTP feed.
 */

// jest.config's project-level testTimeout is not applied by jest (it reads the global one): set it here.
jest.setTimeout(120_000);

/** A decision.issued record as the topic and the feed carry it (the feed adds its cursor). */
type FeedRecord = DecisionIssuedRecord & { cursor?: string };

const judgmentDebtorWithLegalRepresentative = (t: RawCloudEvent) =>
  t.type === 'credit.judgment-debtor.listed.v1' && t.data.subject.kind !== 'individual' && (t.data.relatedPersons ?? []).some((p) => p.role === 'legal-representative');

describe('Kafka pipeline: department topic → engine → department topics and HTTP feed', () => {
  let run: KafkaRun;
  let topics: ReturnType<typeof topicsOf>;
  let db: DataSource;
  let fleet: AppFleet;
  let kafka: Kafka;
  let ingest: AppProcess;
  let query: AppProcess;
  let financeReader: TopicReader;
  let transportReader: TopicReader;
  let producer: PublishingDepartments;
  let events: CreditEventGenerator;
  const decider = new ReferenceDecider();

  let engine: AppProcess;

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('pipeline');
    topics = topicsOf(run);
    events = new CreditEventGenerator(run.id, 7, judgmentDebtorWithLegalRepresentative);
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    // The engine creates the topics; ingest-api and query-api start alongside.
    engine = await fleet.start('decision-engine');
    [ingest, query] = await Promise.all([fleet.start('ingest-api'), fleet.start('query-api')]);
    kafka = plainKafka(`${run.id}-department`);
    producer = new PublishingDepartments(run);
    [financeReader, transportReader] = await Promise.all([
      // Compared with finance's whole feed (derived records too).
      TopicReader.start(kafka, [topics.decisionsFor('finance')], { derivedRecords: true }),
      TopicReader.start(kafka, [topics.decisionsFor('transport')]),
    ]);
  });

  afterAll(async () => {
    await producer?.disconnect();
    await financeReader?.stop();
    await transportReader?.stop();
    await fleet?.stopAll();
    await db?.destroy();
  });


  /** The finance record of one event, read from the topic, after checking its CloudEvents headers. */
  async function financeRecordOf(event: RawCloudEvent, expected: ExpectedOutcome): Promise<FeedRecord> {
    const recordId = [...expected.feedRecords].find(([, department]) => department === 'finance')?.[0];
    expect(recordId).toBeDefined();
    await financeReader.waitForCeIds([recordId!], 60_000);
    const [message, ...more] = financeReader.withCeId(recordId!);
    expect(more).toHaveLength(0);
    expect(message.key).toBe(event.subject);
    expect(message.headers).toMatchObject({ ce_id: recordId, ce_type: 'credit.decision.issued.v1', ce_subject: event.subject, ce_specversion: '1.0' });
    expect(message.headers.feed_cursor).toMatch(/^\d+$/);
    const record = JSON.parse(message.value!) as FeedRecord;
    expect(record.recordId).toBe(recordId);
    expect(record.decisionId).toBe(expected.decisionIds[0]);
    return record;
  }

  async function expectJudgmentDebtorMeasures(record: FeedRecord, event: RawCloudEvent, department: 'finance' | 'transport'): Promise<void> {
    const enterprise = event.data.subject.id;
    const legalRepresentative = event.data.relatedPersons!.find((p) => p.role === 'legal-representative')!.id;
    expect(record.subject).toEqual(expect.objectContaining({ id: enterprise }));
    expect(record.listEntries).toEqual([expect.objectContaining({ list: expect.objectContaining({ code: 'judgment-debtor' }) })]);

    // JD-01: the judgment debtor may not be a supplier in government procurement (finance applies it);
    // JD-02: the travel restriction reaches the legal representative too (transport applies it).
    // Each department receives its own measures and the other's as counts.
    const [own, ownCode, otherCode] = department === 'finance' ? ['finance', 'JD-01', 'JD-02'] : ['transport', 'JD-02', 'JD-01'];
    const ownTarget = department === 'finance' ? { role: 'subject' } : { role: 'legal-representative', id: legalRepresentative };
    expect(record.measures.every((m) => m.implementingDepartment === own)).toBe(true);
    const mine = record.measures.filter((m) => m.code === ownCode && (m.target.role === 'subject' ? ownTarget.role === 'subject' : 'id' in m.target && m.target.id === ownTarget.id));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ implementingDepartment: own, yourRole: 'implementing', target: expect.objectContaining(ownTarget) });
    expect(record.otherMeasures[otherCode]).toBeGreaterThan(0);
    expect(Object.keys(record.otherMeasures)).not.toContain(ownCode);

    // What the measure says and rests on, resolved as a subscriber does: the body is the text its reference hashes.
    const response = await fetch(`${query.baseUrl}/v1/measure-terms/${mine[0].terms}`, { headers: { authorization: `Bearer dev-${department}-token` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
    const body = await response.text();
    expect(measureTermsRef(body)).toBe(mine[0].terms);
    const terms = JSON.parse(body) as MeasureTerms;
    expect(terms).toMatchObject({ memorandum: { id: 'judgment-debtors' }, code: ownCode });
    expect(terms.legalBasis.length).toBeGreaterThan(0);
    for (const basis of terms.legalBasis) expect(basis).toEqual({ instrument: expect.objectContaining({ id: expect.any(String), title: expect.any(String), level: expect.any(String), version: expect.any(String) }), article: expect.any(String) });
    if (department === 'finance') expect(terms.legalBasis.map((b) => b.instrument.id)).toContain('government-procurement-law');
  }

  /** The record accounts for every task of the decision: its own by id, the others' by count. */
  function expectAllTasks(record: FeedRecord, expectedTaskIds: readonly string[]): void {
    for (const m of record.measures) expect(expectedTaskIds).toContain(m.taskId);
    expect(record.measures.length + Object.values(record.otherMeasures).reduce((n, count) => n + count, 0)).toBe(expectedTaskIds.length);
  }

  it('decides a structured-mode CloudEvent published by the court on the inbound topic', async () => {
    const event = events.next();
    const expected = await decider.decide(event);
    const [placement] = await producer.send([structuredMessage(event)]);
    expect(placement.offset).toMatch(/^\d+$/);

    const record = await financeRecordOf(event, expected);
    await expectJudgmentDebtorMeasures(record, event, 'finance');
    expectAllTasks(record, expected.measureTaskIds);

    // The transport bureau gets the same decision, with the legal representative's travel ban marked for it.
    const transportId = [...expected.feedRecords].find(([, d]) => d === 'transport')![0];
    await transportReader.waitForCeIds([transportId], 30_000);
    const [transportMessage] = transportReader.withCeId(transportId);
    await expectJudgmentDebtorMeasures(JSON.parse(transportMessage.value!) as FeedRecord, event, 'transport');

    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM decision WHERE cause_event_id = $1`, [event.id]);
    expect(n).toBe(1);
  });

  it('decides a binary-mode CloudEvent (attributes in ce_* headers)', async () => {
    const event = events.next();
    const expected = await decider.decide(event);
    await producer.send([binaryMessage(event)]);

    const record = await financeRecordOf(event, expected);
    await expectJudgmentDebtorMeasures(record, event, 'finance');
    expectAllTasks(record, expected.measureTaskIds);
  });

  it('turns an event POSTed to ingest-api into decisions on the topic', async () => {
    const event = events.next();
    const expected = await decider.decide(event);
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify(event),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: [{ id: event.id, type: event.type, subject: event.subject, duplicate: false }] });

    const record = await financeRecordOf(event, expected);
    await expectJudgmentDebtorMeasures(record, event, 'finance');
  });

  /** The relayed finance message of one event's decision, once it is on the topic. */
  async function financeMessageOf(event: RawCloudEvent) {
    const expected = await decider.decide(event);
    const recordId = [...expected.feedRecords].find(([, department]) => department === 'finance')![0];
    await financeReader.waitForCeIds([recordId], 60_000);
    return financeReader.withCeId(recordId)[0];
  }

  it("carries an HTTP request's X-Request-Id and traceparent over the inbound topic into the decision, and the relayed record continues the trace", async () => {
    const event = events.next();
    const traceId = 'a1'.repeat(16);
    // A UUID: an id built from the event's (whose digits follow the process id) could hold a digit run long enough to be taken for a personal number and replaced.
    const requestId = randomUUID();
    const response = await fetch(`${ingest.baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-court-token', 'content-type': 'application/cloudevents+json', 'x-request-id': requestId, traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify(event),
    });
    expect(response.status).toBe(202);
    const message = await financeMessageOf(event);
    const [decision] = await db.query(`SELECT request_id, traceparent FROM decision WHERE cause_event_id = $1`, [event.id]);
    expect(decision).toEqual({ request_id: requestId, traceparent: response.headers.get('traceparent') });
    // A span of the relay's own in the request's trace, as the plain header and as the CloudEvents extension.
    expect(message.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(message.headers.traceparent).not.toBe(decision.traceparent);
    expect(message.headers.ce_traceparent).toBe(message.headers.traceparent);
  });

  it('keeps the traceparent header of a department producing to its topic directly', async () => {
    const event = events.next();
    const traceId = 'b2'.repeat(16);
    const structured = structuredMessage(event);
    await producer.send([{ ...structured, headers: { ...structured.headers, traceparent: `00-${traceId}-00f067aa0ba902b7-01` } }]);
    const message = await financeMessageOf(event);
    const [decision] = await db.query(`SELECT request_id, traceparent FROM decision WHERE cause_event_id = $1`, [event.id]);
    expect(decision.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
    expect(decision.request_id).toEqual(expect.any(String));
    expect(message.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
  });

  it('carries the same records on the HTTP feed and on the finance topic', async () => {
    const feed = await waitFor(
      'the finance feed to hold the three decisions',
      async () => {
        const records = await readWholeFeed(query.baseUrl, 'dev-finance-token');
        return new Set(records.map((r) => r.recordId)).size >= 3 ? records : undefined;
      },
      30_000,
    );
    const feedIds = [...new Set(feed.map((r) => r.recordId))].sort();
    await financeReader.waitForCeIds(feedIds, 60_000);
    await financeReader.settle(1500, 30_000);

    const onTopic = financeReader.messages.map((m) => m.headers.ce_id).sort();
    expect(onTopic).toEqual(feedIds);
    for (const record of feed) {
      const [message] = financeReader.withCeId(record.recordId);
      // Same cursor on both: the topic header feed_cursor is the HTTP feed's cursor...
      expect(message.headers.feed_cursor).toBe(record.cursor);
      // ...the same content...
      const { cursor: _cursor, traceparent, ...payload } = record as typeof record & { traceparent?: string };
      expect(JSON.parse(message.value!)).toEqual(payload);
      // ...and the same trace: the feed shows the request's traceparent, the topic a span of the relay's in it.
      expect(message.headers.traceparent?.split('-')[1]).toBe(traceparent?.split('-')[1]);
    }
  });

  it('pages the HTTP feed in cursor order, each record once (as a topic partition delivers it)', async () => {
    const feed = await readWholeFeed(query.baseUrl, 'dev-finance-token');
    const cursors = feed.map((r) => r.cursor!);
    const ascending = [...cursors].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    expect({ cursors, recordIds: feed.length }).toEqual({ cursors: [...new Set(ascending)], recordIds: new Set(feed.map((r) => r.recordId)).size });
    // Paging one record at a time must walk the same records.
    const oneByOne = await readWholeFeed(query.baseUrl, 'dev-finance-token', 1);
    expect(oneByOne.map((r) => r.recordId)).toEqual(feed.map((r) => r.recordId));
  });

  it('refuses conduct past the five-year limit: a sanction.refused record on the court\'s topic, and the event\'s status says why', async () => {
    const courtReader = await TopicReader.start(kafka, [topics.decisionsFor('court')]);
    try {
      const event = events.next();
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      event.data.conductEndedOn = `${Number(today.slice(0, 4)) - 6}${today.slice(4)}`;
      await producer.send([structuredMessage(event)]);
      await waitFor('the court topic to carry the refusal', () => courtReader.messages.some((m) => m.headers.ce_type === 'credit.sanction.refused.v1'), 60_000, 100);
      const refusal = JSON.parse(courtReader.messages.find((m) => m.headers.ce_type === 'credit.sanction.refused.v1')!.value!) as { code: string; memorandum: string; causeKey: string };
      expect(refusal).toMatchObject({ code: 'EVENT.CONDUCT_PAST_LIMIT', memorandum: 'judgment-debtors', causeKey: `${event.source}/${event.id}` });
      expect(await db.query(`SELECT id FROM decision WHERE cause_event_id = $1`, [event.id])).toEqual([]);

      const status = await fetch(`${query.baseUrl}/v1/events/court/${encodeURIComponent(event.id)}`, { headers: { authorization: 'Bearer dev-court-token' } });
      expect(await status.json()).toMatchObject({ status: 'refused', transport: 'kafka', refusal: { code: 'EVENT.CONDUCT_PAST_LIMIT' }, effects: { decisions: [] } });
    } finally {
      await courtReader.stop();
    }
  });

  it("counts on the engine's /metrics what it decided from Kafka, as the embedded engine counts the inbox's", async () => {
    const metrics = await (await fetch(`${engine.baseUrl}/metrics`)).text();
    // The tests above decided judgment-debtor listings from the court.
    const decided = /^credit_events_decided_total\{department="court",type="credit\.judgment-debtor\.listed\.v1",outcome="decided"\} (\d+)$/m.exec(metrics);
    expect(Number(decided?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(/^credit_decisions_total\{memorandum="judgment-debtors"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(/^credit_decision_latency_seconds_count\{transport="kafka"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/^credit_rule_set_info\{revision="sha256:[0-9a-f]+",memoranda="\d+"\} 1$/m);
    expect(metrics).toMatch(/^credit_inbox_pending 0$/m);
  });

  it('writes every line of every app as JSON in the Kafka mode too (kafkajs logs through the app logger)', () => {
    for (const app of [engine, ingest, query]) {
      for (const line of app.log.split('\n').filter(Boolean)) {
        let parsed: { app?: string; time?: string };
        try {
          parsed = JSON.parse(line);
        } catch {
          throw new Error(`${app.name} wrote a line that is not JSON: ${line.slice(0, 300)}`);
        }
        expect(parsed).toMatchObject({ app: app.name, time: expect.stringMatching(/Z$/) });
      }
    }
  });

  it('tells the sender an event was dead-lettered, with the code, when the engine could not accept it from Kafka', async () => {
    const event = events.next();
    event.data.subject.id = breakCheckCharacter(event.data.subject.id);
    event.subject = event.data.subject.id;
    await producer.send([structuredMessage(event)]);
    const report = await waitFor(
      'the event to be dead-lettered',
      async () => {
        const response = await fetch(`${query.baseUrl}/v1/events/court/${encodeURIComponent(event.id)}`, { headers: { authorization: 'Bearer dev-court-token' } });
        const body = (await response.json()) as { status?: string; refusal?: { code: string } };
        return body.status === 'dead-lettered' ? body : undefined;
      },
      60_000,
      200,
    );
    expect(report).toMatchObject({ status: 'dead-lettered', refusal: { code: 'SUBJECT.BAD_CHECK_DIGIT' } });
  });
});

/** Every record of a department's feed, following nextCursor page by page (bounded, in case a cursor never advances). */
async function readWholeFeed(baseUrl: string, token: string, limit = 500): Promise<FeedRecord[]> {
  const records: FeedRecord[] = [];
  let after = '0';
  for (let pages = 0; pages < 1000; pages++) {
    const response = await fetch(`${baseUrl}/v1/feed?after=${after}&limit=${limit}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`GET /v1/feed answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { records: FeedRecord[]; nextCursor: string };
    records.push(...page.records);
    if (page.records.length === 0 || page.nextCursor === after) return records;
    after = page.nextCursor;
  }
  throw new Error('the feed cursor never reached the end (1000 pages)');
}
