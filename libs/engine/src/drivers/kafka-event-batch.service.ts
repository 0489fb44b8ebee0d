import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CreditEvent, eventContentHash, idReusedError, IntakeEvent, TraceContext } from '@app/domain';
import { DeadLetterInput, DeadLetterRepository, eventKey, inboxInput, InboundEventRepository, OutboxSignal } from '@app/persistence';
import { CLOCK } from '../clock.token';
import { CreditEventProcessor, ProcessedEvent } from '../credit-event-processor.service';
import { logDecidedEvents } from '../decided-events.log';
import { DecisionMetrics } from '../decision.metrics';

/** Where a consumed event came from, kept with it if it has to be dead-lettered. */
export type MessageOrigin = Pick<DeadLetterInput, 'raw' | 'topic' | 'partition' | 'offset'>;

/** A valid event refused by what the database knows (EVENT.ID_REUSED), by its index in the batch. */
export interface RefusedEvent {
  index: number;
  code: string;
  message: string;
  violations: unknown[];
}

/**
 * Kafka-mode processing of one partition batch: decide the valid events, then in one
 * PostgreSQL transaction record which events are new (the processed-event marker), store
 * decisions and outbox records for the new ones only, and record the refused messages.
 * Offsets are committed after this returns, so redelivery finds every effect already there.
 */
@Injectable()
export class KafkaEventBatchService {
  private readonly logger = new Logger(KafkaEventBatchService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly inbox: InboundEventRepository,
    private readonly deadLetters: DeadLetterRepository,
    private readonly processor: CreditEventProcessor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: DecisionMetrics,
    private readonly outbox: OutboxSignal,
  ) {}

  /**
   * `origins[i]` is where `events[i]` came from. An event whose identity (source, id) is
   * known with other content, earlier in the batch or in the database, is refused with
   * EVENT.ID_REUSED: dead-lettered here and returned, so the caller puts it on the dead-letter topic.
   * `arrivedAt[i]` is when `events[i]` was appended to its topic (the decision latency counts from it);
   * `traces[i]` the message's request id and traceparent, kept with the event (an ingest's receipt keeps its own).
   */
  async processBatch(
    events: readonly CreditEvent[],
    refused: readonly DeadLetterInput[],
    origins: readonly (MessageOrigin | undefined)[] = [],
    arrivedAt: readonly (Date | undefined)[] = [],
    traces: readonly (TraceContext | undefined)[] = [],
  ): Promise<{ fresh: number; decisions: number; refused: RefusedEvent[] }> {
    const intake: IntakeEvent[] = events.map((event, i) => ({ event, contentHash: eventContentHash(event), trace: traces[i] }));
    const known = await this.inbox.known(events.map((e) => ({ source: e.source, id: e.id })));
    const { candidates, refusedByContent } = chooseCandidates(intake, known);
    const reusedIds = refusedByContent.map((index) => refusal(index, events[index]));
    // One instant for the whole batch: limits and bases are judged on the day due dates count from.
    const now = this.clock.now();
    const processed = await this.processor.decide(candidates.map((i) => events[i]), now);
    let stored: ProcessedEvent[] = [];
    const outcome = await this.dataSource.transaction(async (manager) => {
      const refusedHere = [...reusedIds];
      const { fresh, reused } = await this.inbox.markFirstSeen(
        manager,
        processed.map(({ decisions }, k) => ({ ...inboxInput(intake[candidates[k]]), decisionCount: decisions.length })),
      );
      // Decided meanwhile by another engine with other content (a race across partitions).
      candidates.forEach((index) => {
        if (reused.has(eventKey(events[index].source, events[index].id))) refusedHere.push(refusal(index, events[index]));
      });
      const firstSeen = processed.filter(({ event }) => fresh.has(eventKey(event.source, event.id)));
      await this.processor.store(manager, firstSeen, now);
      stored = firstSeen;
      const letters = refusedHere.map((r) => ({
        errorCode: r.code,
        message: r.message,
        violations: r.violations,
        raw: origins[r.index]?.raw ?? JSON.stringify(events[r.index]),
        topic: origins[r.index]?.topic,
        partition: origins[r.index]?.partition,
        offset: origins[r.index]?.offset,
        source: events[r.index].source,
        eventId: events[r.index].id,
      }));
      await this.deadLetters.record([...refused, ...letters], manager);
      return { fresh: firstSeen.length, decisions: firstSeen.reduce((n, p) => n + p.decisions.length, 0), refused: refusedHere.sort((a, b) => a.index - b.index) };
    });
    if (stored.length > 0) this.outbox.committed();
    // Counted once committed, and only the events first seen here (a redelivery is not decided twice).
    const arrivalOf = new Map(candidates.map((index, k) => [processed[k], arrivedAt[index]] as const));
    this.metrics.decided(stored, 'kafka', stored.map((p) => arrivalOf.get(p)), this.clock.now());
    const traceOf = new Map(candidates.map((index, k) => [processed[k], traces[index]] as const));
    logDecidedEvents(this.logger, stored, stored.map((p) => traceOf.get(p)));
    return outcome;
  }
}

/**
 * Which message of each identity in the batch to decide, and which to refuse as a reused id,
 * against what the database knows: a `received` receipt (the ingest's) or a processed event
 * fixes the content the identity stands for; otherwise the first message in the batch does.
 * Messages with that content and not chosen are redeliveries, dropped.
 */
export function chooseCandidates(intake: readonly IntakeEvent[], known: ReadonlyMap<string, { status: string; contentHash: string | null }>): { candidates: number[]; refusedByContent: number[] } {
  const candidates: number[] = [];
  const refusedByContent: number[] = [];
  const standing = new Map<string, { hash: string | null; decided: boolean }>();
  intake.forEach(({ event, contentHash }, index) => {
    const key = eventKey(event.source, event.id);
    let current = standing.get(key);
    if (!current) {
      const existing = known.get(key);
      current = existing ? { hash: existing.contentHash, decided: existing.status === 'processed' } : { hash: contentHash, decided: false };
      standing.set(key, current);
    }
    // A row from before hashes were kept (null) is taken as the same content.
    if (current.hash !== null && current.hash !== contentHash) refusedByContent.push(index);
    else if (!current.decided) {
      candidates.push(index);
      current.decided = true;
    }
  });
  return { candidates, refusedByContent };
}

function refusal(index: number, event: CreditEvent): RefusedEvent {
  const error = idReusedError(event.source, event.id);
  return { index, code: error.code, message: error.message, violations: error.violations };
}
