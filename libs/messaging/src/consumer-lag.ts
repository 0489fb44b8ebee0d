import { Kafka } from 'kafkajs';

/** Lag of a consumer group on a topic: log end offset minus committed offset, per partition. */
export async function consumerLag(kafka: Kafka, groupId: string, topic: string): Promise<{ topic: string; partition: number; lag: number }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
    const committedBy = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
    return ends.map(({ partition, high, low }) => {
      const done = committedBy.get(partition) ?? -1;
      // -1: nothing committed yet, so everything retained is lag.
      return { topic, partition, lag: Number(high) - (done < 0 ? Number(low) : done) };
    });
  } finally {
    await admin.disconnect();
  }
}
