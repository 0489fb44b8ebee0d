import { Logger } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { TopicSpec } from './topics';

/**
 * Create the topics that are missing; existing topics are left as operators configured them.
 * The principal sees only the topics its ACLs name, so on a secured cluster "missing" means
 * "not provisioned for this app".
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[], replicationFactor: number): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(s.topic));
    if (missing.length > 0) {
      // Several apps may race to create the same topics; "already exists" is success.
      const topics = missing.map(({ topic, numPartitions, configEntries }) => ({ topic, numPartitions, configEntries, replicationFactor }));
      await admin.createTopics({ waitForLeaders: true, topics }).catch((error: Error & { type?: string; errors?: { type?: string }[] }) => {
        if (/already exists/i.test(error.message)) return;
        // On a secured cluster the apps' principals neither see nor create topics outside their ACLs.
        const types = [error.type, ...(error.errors ?? []).map((e) => e.type)];
        if (types.some((type) => /AUTHORIZATION_FAILED/.test(type ?? ''))) {
          throw new Error(`topics missing or not granted to this app's principal: ${missing.map((s) => s.topic).join(', ')} (provision them: npm run kafka:department -- setup, or -- add <code>)`);
        }
        throw error;
      });
      new Logger('TopicProvisioner').log(`created topics: ${missing.map((s) => s.topic).join(', ')}`);
    }
    return missing.map((s) => s.topic);
  } finally {
    await admin.disconnect();
  }
}
