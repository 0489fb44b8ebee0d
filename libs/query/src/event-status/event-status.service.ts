import { Injectable } from '@nestjs/common';
import { Department, departmentOf, departmentSource, RequestError, traceIdOf } from '@app/domain';
import { EventStatusRepository } from '@app/persistence';
import type { LifecycleOutcome } from '@app/engine';
import { EventStatusError } from './event-status.errors';

export type EventStatus = 'received' | 'decided' | 'refused' | 'dead-lettered';

/** What happened to an event a department sent: enough to answer "did it work, and what did it do?" without reading logs. */
export interface EventStatusReport {
  source: string;
  id: string;
  type: string | null;
  /**
   * received: accepted, not yet decided; decided: the engine decided it (see effects; a lifecycle
   * event that changed nothing is decided with outcome no-effect); refused: decided, but refused
   * (conduct past its limitation, a repair too early…), with code and reason; dead-lettered: the
   * engine could not accept it from Kafka (code and reason of the dead letter).
   */
  status: EventStatus;
  transport: string | null;
  receivedAt: string | null;
  decidedAt: string | null;
  /** The X-Request-Id and W3C trace id of the request (or message) that brought it, to find its log lines; null when not kept. */
  trace: { requestId: string | null; traceId: string | null } | null;
  refusal: { code: string; reason: string } | null;
  /** For removal, repair and objections: applied, refused or no-effect, with the entries and tasks it concerned. */
  outcome: { status: LifecycleOutcome['status']; code: LifecycleOutcome['code'] | null; reason: string | null; entries: string[]; tasks: string[] } | null;
  effects: {
    decisions: { id: string; memorandum: string }[];
    /**
     * Every record the event caused, on whose feed (read it from `cursor`), and when the Kafka relay
     * put it on the department's topic: null in the embedded mode (the feed is the delivery) or not yet.
     */
    records: { recordId: string; department: string; kind: string; cursor: string; publishedToTopicAt: string | null }[];
  };
}

const EVENT_ID_LIMIT = 128;

@Injectable()
export class EventStatusService {
  constructor(private readonly events: EventStatusRepository) {}

  /** `source` is the department code or the CloudEvents source (`/departments/<code>`); only that department may ask. */
  async status(caller: Department, source: string, eventId: string): Promise<EventStatusReport> {
    const sender = source.startsWith('/') ? departmentOf(source) : source;
    if (sender !== caller.code) {
      throw new EventStatusError('EVENT.NOT_SENDER', `only the department that sent an event may read its status; you are "${caller.code}"`, { department: caller.code });
    }
    // A control character (%00 in the path) could never have been accepted, and PostgreSQL refuses NUL in a parameter.
    if (eventId.length === 0 || eventId.length > EVENT_ID_LIMIT || /[\u0000-\u001f\u007f]/.test(eventId)) {
      throw new RequestError('REQUEST.INVALID', `an event id has 1 to ${EVENT_ID_LIMIT} printable characters`);
    }
    const fullSource = departmentSource(sender);
    const [accepted, letters] = await Promise.all([this.events.accepted(fullSource, eventId), this.events.deadLetters(fullSource, eventId)]);
    if (!accepted) {
      const [letter] = letters;
      if (!letter) throw new EventStatusError('EVENT.NOT_FOUND', `no event "${eventId.slice(0, 64)}" from ${fullSource} was received`, { source: fullSource });
      return {
        ...empty(fullSource, eventId),
        status: 'dead-lettered',
        receivedAt: letter.receivedAt.toISOString(),
        refusal: { code: letter.errorCode, reason: letter.message },
      };
    }
    const effects = await this.events.effects(fullSource, eventId);
    // Stored by the lifecycle (a LifecycleOutcome) or by the processor for refused events (with `memoranda`).
    const outcome = accepted.outcome as (Partial<LifecycleOutcome> & { memoranda?: string[] }) | null;
    const refused = outcome?.status === 'refused';
    const decided = accepted.status === 'processed';
    return {
      source: fullSource,
      id: eventId,
      type: accepted.type,
      status: !decided ? 'received' : refused ? 'refused' : 'decided',
      transport: accepted.transport,
      receivedAt: accepted.receivedAt.toISOString(),
      decidedAt: accepted.processedAt?.toISOString() ?? null,
      trace: accepted.requestId || accepted.traceparent ? { requestId: accepted.requestId, traceId: traceIdOf(accepted.traceparent ?? undefined) ?? null } : null,
      // A refused outcome is always stored with its code (the processor's and the lifecycle's alike).
      refusal: refused ? { code: String(outcome?.code), reason: outcome?.reason ?? '' } : null,
      outcome: outcome && !('memoranda' in outcome)
        ? { status: outcome.status ?? 'applied', code: outcome.code ?? null, reason: outcome.reason ?? null, entries: outcome.entries ?? [], tasks: outcome.tasks ?? [] }
        : null,
      effects: {
        decisions: effects.decisions.map((d) => ({ id: d.id, memorandum: d.memorandumId })),
        records: effects.records.map((r) => ({ recordId: r.recordId, department: r.department, kind: r.kind, cursor: r.seq, publishedToTopicAt: r.publishedAt?.toISOString() ?? null })),
      },
    };
  }
}

function empty(source: string, id: string): EventStatusReport {
  return { source, id, type: null, status: 'received', transport: null, receivedAt: null, decidedAt: null, trace: null, refusal: null, outcome: null, effects: { decisions: [], records: [] } };
}
