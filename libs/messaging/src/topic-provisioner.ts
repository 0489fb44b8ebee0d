import { Logger } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { TopicSpec } from './topics';

/** Create the topics that are missing; existing topics are left as operators configured them. */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[], replicationFactor: number): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      // Several apps may race to create the same topics; "already exists" is success.
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((s) => ({ ...s, replicationFactor })) }).catch((error: Error) => {
        if (!/already exists/i.test(error.message)) throw error;
      });
      new Logger('TopicProvisioner').log(`created topics: ${missing.map((s) => s.topic).join(', ')}`);
    }
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
