import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, IHeaders, Kafka, logLevel, Producer } from 'kafkajs';
import { describeFailure } from '@app/domain';
import { InboundLink } from '@app/engine';
import { TopicNames } from '@app/messaging';

/** What one bridge of a link needs: where the peer is, and where its events go here. */
export interface PeerBridgeOptions {
  /** This deployment's code. */
  here: string;
  peer: string;
  inbound: InboundLink;
  /** The peer bridge user's password, read from the variable the link names. */
  password: string;
  /** This deployment's producer (as the bridge principal) and topics. */
  localProducer: Producer;
  localTopics: TopicNames;
  clientId: string;
}

/**
 * Carries what a peer deployment sends this one (市区失信信息互通): it reads the peer's exchange
 * topic on the peer's cluster, as the bridge user the peer provisioned for it, and writes each
 * copy to the inbound topic of the local publisher that stands for the peer, with the source of
 * that publisher, the id the peer gave it and everything else as it came. Only then is the
 * peer's offset committed, so a restart resends what was not acknowledged here; a resent copy has
 * the same id and source, which the engine's intake already holds: exactly once in effect. The
 * bridge judges nothing: the engine admits, decides or dead-letters each copy, loops included.
 */
export class PeerBridge {
  private readonly logger: Logger;
  private readonly consumer: Consumer;
  private readonly peerTopic: string;
  private readonly localTopic: string;

  constructor(private readonly options: PeerBridgeOptions) {
    const { inbound, peer, here } = options;
    this.logger = new Logger(`ExchangeBridge(${peer})`);
    const peerTopics = new TopicNames(inbound.topicPrefix);
    this.peerTopic = peerTopics.exchangeBetween(peer, here);
    this.localTopic = options.localTopics.inboundFor(inbound.publisher);
    const remote = new Kafka({
      clientId: `${options.clientId}-bridge-${peer}`,
      brokers: [...inbound.brokers],
      ssl: { ca: inbound.tlsCaFile === undefined ? undefined : [readFileSync(inbound.tlsCaFile, 'utf8')] },
      sasl: { mechanism: 'scram-sha-512', username: inbound.username, password: options.password },
      logLevel: logLevel.WARN,
      retry: { initialRetryTime: 200, retries: 8 },
    });
    this.consumer = remote.consumer({ groupId: peerTopics.exchangeBridgeGroup(peer, here), readUncommitted: false, allowAutoTopicCreation: false });
  }

  get description(): string {
    return `${this.peerTopic} at ${this.options.inbound.brokers.join(',')} → ${this.localTopic}`;
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.peerTopic, fromBeginning: true });
    await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => this.carry(payload) });
    this.logger.log(`bridging ${this.description}`);
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect().catch((error) => this.logger.warn(`disconnect: ${describeFailure(error)}`));
  }

  private async carry({ batch, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return;
    const source = `/departments/${this.options.inbound.publisher}`;
    const messages = batch.messages.map((message) => ({
      key: message.key,
      value: message.value,
      headers: relayedHeaders(message.headers, source, this.options.peer),
    }));
    // acks -1 on an idempotent producer: once this resolves, every copy is in the local topic's replicas.
    await this.options.localProducer.send({ topic: this.localTopic, messages, acks: -1 });
    const last = batch.messages[batch.messages.length - 1].offset;
    await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
    await heartbeat();
  }
}

/**
 * A copy's headers as the local publisher's: its source, and where it came from for whoever
 * reads the topic (the provenance itself travels in the data). A structured-mode message has no
 * ce_source header to replace; it keeps its own and the engine refuses a source that is not the
 * publisher's (a dead letter naming it).
 */
export function relayedHeaders(headers: IHeaders | undefined, source: string, peer: string): IHeaders {
  const copied: IHeaders = { ...(headers ?? {}) };
  if (copied.ce_specversion !== undefined) copied.ce_source = source;
  copied.exchange_from = peer;
  return copied;
}
