import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CreditEvent, LifecycleTargetData, provenanceForPeer, relayedEventId } from '@app/domain';
import { ExchangeOutboxItem, ExchangeOutboxRepository } from '@app/persistence';
import { ExchangeLinks } from './exchange-links';

/** An event this deployment stored, and the memoranda whose entries it created or changed. */
export interface DecidedForExchange {
  event: CreditEvent;
  memoranda: readonly string[];
}

/**
 * Copies what this deployment decided to the peers its links name (市区失信信息互通), in the
 * deciding transaction: an event goes to a peer when it created or changed entries of a memorandum
 * the link sends, and never back along its route. A removal or repair that names a local decision
 * is sent with what the peer knows instead (the entry's list, or the penalty's document number).
 */
@Injectable()
export class ExchangeOutboxWriter {
  private readonly logger = new Logger(ExchangeOutboxWriter.name);

  constructor(
    private readonly links: ExchangeLinks,
    private readonly outbox: ExchangeOutboxRepository,
  ) {}

  /** Whether any link sends anything: without one, the decision path does no extra work. */
  get sends(): boolean {
    return this.links.config?.links.some((link) => link.outbound !== undefined) ?? false;
  }

  /** The memoranda of the entries and tasks a lifecycle change touched. */
  memorandaOf(manager: EntityManager, entries: readonly string[], tasks: readonly string[]): Promise<string[]> {
    return this.outbox.memorandaOf(manager, entries, tasks);
  }

  async write(manager: EntityManager, decided: readonly DecidedForExchange[]): Promise<void> {
    const config = this.links.config;
    if (config === undefined || !this.sends) return;
    const items: ExchangeOutboxItem[] = [];
    for (const { event, memoranda } of decided) {
      const peers = this.links.peersFor(memoranda);
      if (peers.length === 0) continue;
      const data = await this.peerData(manager, event);
      if (data === undefined) continue;
      for (const peer of peers) {
        const copy = provenanceForPeer(event, config.deployment, peer);
        if (!copy.forwarded) continue;
        items.push({
          peer,
          eventSource: event.source,
          eventId: event.id,
          relayedEventId: relayedEventId(copy.provenance),
          event: { specversion: '1.0', type: event.type, subject: event.subject, time: event.time, datacontenttype: 'application/json', data: { ...data, provenance: copy.provenance } },
        });
      }
    }
    await this.outbox.add(manager, items);
  }

  /** The event's data as a peer can act on it; undefined (and logged) when a local decision id cannot be named there. */
  private async peerData(manager: EntityManager, event: CreditEvent): Promise<Record<string, unknown> | undefined> {
    const { decisionId, ...rest } = event.data as LifecycleTargetData;
    if (decisionId === undefined) return event.data as unknown as Record<string, unknown>;
    const target = await this.outbox.peerTargetOf(manager, decisionId);
    if (target === undefined) {
      this.logger.warn(`event ${event.source}/${event.id.slice(0, 64)} names decision ${decisionId}, which has neither a list entry nor a penalty document: not sent to peers`);
      return undefined;
    }
    return { ...rest, ...target };
  }
}
