import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { CREDIT_CLASS_RECORD_SCHEMA, CreditClassChangedRecord } from '@app/decision-log';
import { structuredMessage, PublishingDepartments } from './support/department-producer';
import { AppFleet, KafkaRun, newKafkaRun, plainKafka, requireBroker, topicsOf, waitFor } from './support/kafka-test-env';
import { openCleanTestDatabase } from './support/test-db';
import { TopicReader } from './support/topic-reader';

/**
 * A class change on the departments' topics: market regulation lists an enterprise as abnormal
 * on its inbound topic, the engine decides it and recomputes the class in the same transaction,
 * and the relay puts credit-class.changed (B → C) on the topics of the departments the model
 * names, keyed by the subject, in CloudEvents binary mode.
 */

jest.setTimeout(120_000);

const ENTERPRISE = '91510802MA6T7E1QXE';

describe('Kafka: credit-class.changed on the department topics', () => {
  let run: KafkaRun;
  let db: DataSource;
  let fleet: AppFleet;
  let producer: PublishingDepartments;
  let readers: TopicReader[] = [];

  beforeAll(async () => {
    await requireBroker();
    run = newKafkaRun('classes');
    const database = await openCleanTestDatabase();
    db = database.db;
    fleet = new AppFleet(run, database.url);
    await fleet.start('decision-engine');
    producer = new PublishingDepartments(run);
    const kafka = plainKafka(`${run.id}-department`);
    readers = await Promise.all(['market-regulation', 'credit-office', 'finance'].map((d) => TopicReader.start(kafka, [topicsOf(run).decisionsFor(d)], { derivedRecords: true })));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all(readers.map((r) => r.stop()));
    await fleet?.stopAll();
    await db?.destroy();
  });

  it('publishes the change to market regulation and the credit office only, validated by its schema', async () => {
    const today = chinaDate(new Date());
    const event = {
      specversion: '1.0',
      id: `${run.id}-abnormal`,
      source: '/departments/market-regulation',
      type: 'credit.list-entry.added.v1',
      subject: ENTERPRISE,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: {
        subject: { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区云帆信息技术有限公司' },
        listCode: 'abnormal-operation',
        reason: 'annual-report-not-filed',
        documentNumber: '利市监异列〔2026〕201号',
        decidedOn: today,
      },
    };
    await producer.send([structuredMessage(event as never)]);
    const [market, office, finance] = readers;
    const changed = (reader: TopicReader) => reader.messages.filter((m) => m.headers.ce_type === 'credit.credit-class.changed.v1');
    await waitFor('the class change on both topics', () => changed(market).length > 0 && changed(office).length > 0, 60_000);

    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(CREDIT_CLASS_RECORD_SCHEMA);
    for (const [reader, department] of [[market, 'market-regulation'], [office, 'credit-office']] as const) {
      const [message, ...more] = changed(reader);
      expect(more).toEqual([]);
      expect(message.key).toBe(ENTERPRISE);
      expect(message.headers).toMatchObject({ ce_subject: ENTERPRISE, ce_source: '/credit-engine', 'content-type': 'application/json' });
      const record = JSON.parse(message.value!) as CreditClassChangedRecord;
      expect(validate(record)).toBe(true);
      expect(record).toMatchObject({ department, previousClass: 'B', previousBasis: 'default', class: 'C', rule: { name: 'key-attention' }, matchedFacts: { 'lists.keyAttention': 1 }, causeKey: `${event.source}/${event.id}` });
      expect(message.headers.ce_id).toBe(record.recordId);
    }
    // Finance takes part in no class model: it gets nothing about classes.
    await finance.settle(1_000, 10_000);
    expect(changed(finance)).toEqual([]);
  });
});
