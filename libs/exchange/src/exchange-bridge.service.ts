import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, Partitioners, Producer } from 'kafkajs';
import { AppConfig } from '@app/config';
import { ExchangeError, ExchangeLinks } from '@app/engine';
import { KAFKA, TOPIC_NAMES, TopicNames } from '@app/messaging';
import { PeerBridge } from './peer-bridge';

/**
 * The bridges of EXCHANGE_FILE's inbound links, one a peer, sharing one local producer. A link
 * whose password variable is unset stops the boot: a bridge that cannot sign in would otherwise
 * retry forever while the operator believes the link works.
 */
@Injectable()
export class ExchangeBridge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExchangeBridge.name);
  private readonly bridges: PeerBridge[] = [];
  private producer?: Producer;

  constructor(
    private readonly config: AppConfig,
    private readonly links: ExchangeLinks,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(TOPIC_NAMES) private readonly topics: TopicNames,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const exchange = this.links.config;
    const inbound = exchange?.links.flatMap((link) => (link.inbound ? [{ peer: link.peer, inbound: link.inbound }] : [])) ?? [];
    if (exchange === undefined || inbound.length === 0) {
      this.logger.warn('EXCHANGE_FILE names no inbound link: this bridge carries nothing');
      return;
    }
    const unset = inbound.filter(({ inbound: link }) => !process.env[link.passwordEnv]);
    if (unset.length > 0) {
      throw new ExchangeError('EXCHANGE.INVALID_CONFIG', `EXCHANGE_FILE=${this.config.EXCHANGE_FILE}: ${unset.map(({ peer, inbound: link }) => `the bridge user's password for ${peer} (${link.passwordEnv}) is not set`).join('; ')}`, {
        file: this.config.EXCHANGE_FILE,
      });
    }
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await this.producer.connect();
    for (const { peer, inbound: link } of inbound) {
      const bridge = new PeerBridge({ here: exchange.deployment, peer, inbound: link, password: process.env[link.passwordEnv]!, localProducer: this.producer, localTopics: this.topics, clientId: this.config.KAFKA_CLIENT_ID });
      await bridge.start();
      this.bridges.push(bridge);
    }
  }

  /** What the bridge carries, for its readiness report. */
  get routes(): string[] {
    return this.bridges.map((bridge) => bridge.description);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.bridges.map((bridge) => bridge.stop()));
    await this.producer?.disconnect().catch(() => undefined);
  }
}
