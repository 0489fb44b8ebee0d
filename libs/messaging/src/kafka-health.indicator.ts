import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Kafka } from 'kafkajs';
import { KAFKA } from './kafka.token';

/** Readiness of the broker connection: the cluster answers a metadata request in time. */
@Injectable()
export class KafkaHealthIndicator {
  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'kafka', timeoutMs = 3000): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const admin = this.kafka.admin();
    try {
      await withTimeout(admin.connect().then(() => admin.describeCluster()), timeoutMs);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}
