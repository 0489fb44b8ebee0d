import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { Consumer, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { chinaDate, CreditEvent, Department, DepartmentError, DepartmentRegistry, departmentOf, isDomainError, maskedPreview, parseCreditEvent, WorkingDayCalendar } from '@app/domain';
import { buildCreditFacts, JsonRulesEngineEvaluator, loadRuleSet, Memorandum, planDecisions, PlannedDecision, RuleSet } from '@app/rules';
import { CLOUD_EVENT_TYPE, decisionIssuedRecords, issuableDecision, RECORD_EVENT_SOURCE } from '@app/decision-log';
import { compactRecord } from '@app/persistence';
import { decodeCloudEvent, encodeBinaryCloudEvent, TopicNames } from '@app/messaging';
import { benchKafkaSecurity } from './support/kafka-broker';
import { ChildPipelineMessage, runChildPipeline } from './support/pipeline-child';

/**
 * The naive pipeline the benchmark compares the engine with: what a straightforward
 * implementation of the same product does. A kafkajs consumer handles one message at a
 * time (`eachMessage`): decode and validate it (parseCreditEvent, department registry),
 * evaluate it with json-rules-engine (JsonRulesEngineEvaluator) and planDecisions, then
 * write every row with its own single-row INSERT (autocommit, awaited one by one, on one
 * `pg` connection; PostgreSQL's default synchronous_commit) and publish each decision
 * record with its own awaited `producer.send` (acks -1). Same durability as the engine:
 * nothing is acknowledged before the broker's in-sync replicas and PostgreSQL have it.
 *
 * Run as a child process by the pipeline benchmark (`node scripts/node-app.js
 * dist/bench/src/naive-pipeline.js`, settings in BENCH_NAIVE_* variables); it reports
 * progress over IPC.
 */
export interface NaivePipelineOptions {
  brokers: string;
  topicPrefix: string;
  groupId: string;
  clientId: string;
  databaseUrl: string;
  rulesDir: string;
  departmentsFile: string;
  calendarFile: string;
}

export interface NaiveProgress {
  /** Valid events handled (decided, possibly with no decision). */
  processed: number;
  /** Messages refused (dead-lettered). */
  rejected: number;
  /** Decision records published. */
  published: number;
  errors: number;
}

const DEFAULT_FEEDBACK_WORKING_DAYS = 5;

export class NaivePipeline {
  readonly progress: NaiveProgress = { processed: 0, rejected: 0, published: 0, errors: 0 };
  private readonly kafka: Kafka;
  private readonly topics: TopicNames;
  private readonly ruleSet: RuleSet;
  private readonly evaluator: JsonRulesEngineEvaluator;
  private readonly memoranda: ReadonlyMap<string, Memorandum>;
  private readonly departments: DepartmentRegistry;
  private readonly calendar: WorkingDayCalendar;
  private readonly db: Client;
  private consumer?: Consumer;
  private producer?: Producer;

  constructor(private readonly options: NaivePipelineOptions) {
    this.kafka = new Kafka({ clientId: options.clientId, brokers: options.brokers.split(','), logLevel: logLevel.ERROR, retry: { initialRetryTime: 200, retries: 8 }, ...benchKafkaSecurity() });
    this.topics = new TopicNames(options.topicPrefix);
    this.departments = new DepartmentRegistry((JSON.parse(readFileSync(options.departmentsFile, 'utf8')) as { departments: Department[] }).departments);
    this.ruleSet = loadRuleSet(options.rulesDir, { knownDepartments: new Set(this.departments.all().map((d) => d.code)) });
    this.evaluator = new JsonRulesEngineEvaluator(this.ruleSet);
    this.memoranda = new Map(this.ruleSet.memoranda.map((m) => [m.id, m]));
    const calendar = JSON.parse(readFileSync(options.calendarFile, 'utf8')) as ConstructorParameters<typeof WorkingDayCalendar>[0];
    this.calendar = new WorkingDayCalendar(calendar);
    this.db = new Client({ connectionString: options.databaseUrl });
  }

  /** Connects and starts consuming; resolves once the consumer has joined its group. */
  async start(): Promise<void> {
    await this.db.connect();
    this.producer = this.kafka.producer({ idempotent: false, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await this.producer.connect();
    this.consumer = this.kafka.consumer({ groupId: this.options.groupId, allowAutoTopicCreation: false });
    await this.consumer.connect();
    const joined = new Promise<void>((resolve) => this.consumer!.on(this.consumer!.events.GROUP_JOIN, () => resolve()));
    await this.consumer.subscribe({ topics: this.departments.all().map((d) => this.topics.inboundFor(d.code)), fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        try {
          await this.handle(topic, partition, message.offset, message.key, message.value, message.headers);
        } catch (error) {
          this.progress.errors++;
          console.error(`naive pipeline: ${topic}[${partition}]@${message.offset}: ${(error as Error).message}`);
          throw error;
        }
      },
    });
    await joined;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.db.end().catch(() => undefined);
  }

  private async handle(topic: string, partition: number, offset: string, key: Buffer | null, value: Buffer | null, headers: Record<string, unknown> | undefined): Promise<void> {
    let event: CreditEvent;
    try {
      event = parseCreditEvent(decodeCloudEvent(value, headers as never));
      const code = departmentOf(event.source);
      if (!code || !this.departments.has(code)) throw new DepartmentError('DEPARTMENT.UNKNOWN', `source "${event.source}" is not a registered department`, { source: event.source });
      this.departments.authorisePublication(this.departments.get(code), event);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const violations = (error.context as { violations?: unknown[] }).violations ?? [];
      await this.db.query(
        // The baseline keeps the masked preview only (no sealed body): the schema's clear columns.
        `INSERT INTO dead_letter (error_code, message, violations, preview, size_bytes, topic, partition, kafka_offset) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (topic, partition, kafka_offset) WHERE topic IS NOT NULL DO NOTHING`,
        [error.code, error.message, JSON.stringify(violations), maskedPreview(value?.toString() ?? ''), value?.length ?? 0, topic, partition, offset],
      );
      await this.producer!.send({
        topic: this.topics.deadLetters,
        acks: -1,
        messages: [{ key, value, headers: { ...((headers as Record<string, string>) ?? {}), dlq_error_code: error.code, dlq_error_message: error.message.slice(0, 4000), dlq_original_topic: topic, dlq_original_partition: String(partition), dlq_original_offset: offset } }],
      });
      this.progress.rejected++;
      return;
    }

    const facts = buildCreditFacts(event, this.ruleSet);
    const matches = await this.evaluator.evaluate(facts);
    const decisions = planDecisions(event, facts, matches, { ruleSetRevision: this.ruleSet.revision, today: chinaDate(new Date()) });
    const marker = await this.db.query(
      `INSERT INTO inbound_event (source, event_id, type, subject_id, envelope, status, transport, processed_at, decision_count)
       VALUES ($1, $2, $3, $4, $5, 'processed', 'kafka', now(), $6) ON CONFLICT ON CONSTRAINT uq_inbound_event_source_id DO NOTHING RETURNING seq`,
      [event.source, event.id, event.type, event.subject, JSON.stringify(event), decisions.length],
    );
    if (marker.rowCount === 0) return; // seen before
    const now = new Date();
    for (const decision of decisions) await this.insertDecision(decision, now);
    const records = decisionIssuedRecords(decisions, this.memoranda, now);
    const stored: { seq: string; createdAt: Date }[] = [];
    for (const record of records) {
      const { rows } = await this.db.query<{ seq: string; created_at: Date }>(
        `INSERT INTO feed_record (record_id, department, kind, decision_id, subject_id, payload) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (record_id) DO NOTHING RETURNING seq::text, created_at`,
        [record.recordId, record.department, record.kind, record.decisionId, record.subjectId, JSON.stringify(record.payload)],
      );
      stored.push({ seq: rows[0]?.seq ?? '0', createdAt: rows[0]?.created_at ?? now });
    }
    for (const [i, record] of records.entries()) {
      await this.producer!.send({
        topic: this.topics.decisionsFor(record.department),
        acks: -1,
        messages: [
          encodeBinaryCloudEvent(
            { id: record.recordId, source: RECORD_EVENT_SOURCE, type: CLOUD_EVENT_TYPE[record.kind], subject: record.subjectId, time: stored[i].createdAt.toISOString(), data: record.payload },
            record.subjectId,
            { feed_cursor: stored[i].seq },
          ),
        ],
      });
      await this.db.query(`UPDATE feed_record SET published_at = now() WHERE seq = $1`, [stored[i].seq]);
      this.progress.published++;
    }
    this.progress.processed++;
  }

  private async insertDecision(d: PlannedDecision, now: Date): Promise<void> {
    const { decision, terms } = issuableDecision(d, this.memoranda.get(d.memorandumId));
    for (const t of terms) await this.db.query(`INSERT INTO measure_terms (ref, canonical) VALUES ($1, $2) ON CONFLICT (ref) DO NOTHING`, [t.ref, t.canonical]);
    await this.db.query(
      `INSERT INTO decision (id, cause_event_source, cause_event_id, memorandum_id, memorandum_version, rule_set_revision, record) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING`,
      [d.id, d.causeEventSource, d.causeEventId, d.memorandumId, d.memorandumVersion, d.ruleSetRevision, JSON.stringify(compactRecord(d, new Map(decision.measureTasks.map((t) => [t.id, t.terms]))))],
    );
    for (const e of d.listEntries) {
      await this.db.query(
        `INSERT INTO list_entry (id, decision_id, memorandum_id, memorandum_version, list_code, list_type, subject_kind, subject_id_type, subject_id, subject_name, reason, document_number, identifying_department, valid_from, valid_to, explanation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING`,
        [e.id, d.id, e.memorandumId, e.memorandumVersion, e.listCode, e.listType, e.subject.kind, e.subject.idType, e.subject.id, e.subject.name, e.reason, e.documentNumber, e.identifyingDepartment, e.validFrom, e.validTo, JSON.stringify(e.explanation)],
      );
    }
    const today = chinaDate(now);
    for (const t of d.measureTasks) {
      await this.db.query(
        `INSERT INTO measure_task (id, decision_id, list_entry_id, memorandum_id, measure_code, category, text, implementing_department, cooperating_departments, legal_basis, target_role, target_id_type, target_id, target_name, valid_from, valid_to, feedback_due_on, explanation)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ON CONFLICT (id) DO NOTHING`,
        [
          t.id, d.id, t.listEntryId, t.memorandumId, t.measureCode, t.category, JSON.stringify(t.text), t.implementingDepartment, JSON.stringify(t.cooperatingDepartments),
          JSON.stringify(t.legalBasis), t.targetRole, t.target.idType, t.target.id, t.target.name, t.validFrom, t.validTo,
          this.calendar.addWorkingDays(today, t.feedbackDueWorkingDays ?? DEFAULT_FEEDBACK_WORKING_DAYS), JSON.stringify(t.explanation),
        ],
      );
    }
  }
}

export type NaiveMessage = ChildPipelineMessage<NaiveProgress, object>;

/** Settings passed to the child process. */
export function naiveEnvironment(options: NaivePipelineOptions): Record<string, string> {
  return { BENCH_NAIVE_OPTIONS: JSON.stringify(options) };
}

// Started as a process by the pipeline benchmark.
if (process.argv[1] === __filename && process.env.BENCH_NAIVE_OPTIONS) {
  const options = JSON.parse(process.env.BENCH_NAIVE_OPTIONS) as NaivePipelineOptions;
  runChildPipeline(() => new NaivePipeline(options), () => ({}));
}
