import { Logger } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { TopicSpec } from './topics';

type CreateTopicsError = Error & { type?: string; errors?: { type?: string }[] };

/**
 * Create the topics of `specs` that are missing, through a connected admin; existing topics are
 * left as operators configured them. What the admin's principal may not see counts as missing;
 * `explain` turns a refused creation into the caller's error.
 */
export async function createMissingTopics(
  admin: Admin,
  specs: readonly TopicSpec[],
  replicationFactor: number,
  explain: (error: CreateTopicsError, missing: readonly string[]) => Error = (error) => error,
): Promise<{ created: string[]; existing: string[] }> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    // Several apps (or an app and the provisioner) may race to create the same topics; "already exists" is success.
    const topics = missing.map(({ topic, numPartitions, configEntries }) => ({ topic, numPartitions, configEntries, replicationFactor }));
    await admin.createTopics({ waitForLeaders: true, topics }).catch((error: CreateTopicsError) => {
      if (!/already exists/i.test(error.message)) throw explain(error, topics.map((t) => t.topic));
    });
  }
  return { created: missing.map((s) => s.topic), existing: specs.filter((s) => existing.has(s.topic)).map((s) => s.topic) };
}

/**
 * An app's own topics at start-up. The principal sees only the topics its ACLs name, so on a
 * secured cluster "missing" means "not provisioned for this app".
 */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[], replicationFactor: number): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { created } = await createMissingTopics(admin, specs, replicationFactor, (error, missing) => {
      // On a secured cluster the apps' principals neither see nor create topics outside their ACLs.
      const types = [error.type, ...(error.errors ?? []).map((e) => e.type)];
      if (!types.some((type) => /AUTHORIZATION_FAILED/.test(type ?? ''))) return error;
      return new Error(`topics missing or not granted to this app's principal: ${missing.join(', ')} (provision them: npm run kafka:department -- setup, or -- add <code>)`);
    });
    if (created.length > 0) new Logger('TopicProvisioner').log(`created topics: ${created.join(', ')}`);
    return created;
  } finally {
    await admin.disconnect();
  }
}
