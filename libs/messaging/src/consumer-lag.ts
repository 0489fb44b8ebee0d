import { Kafka } from 'kafkajs';

/** Lag of a consumer group on its topics: log end offset minus committed offset, per partition. */
export async function consumerLag(kafka: Kafka, groupId: string, topics: readonly string[]): Promise<{ topic: string; partition: number; lag: number }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [ends, committed] = await Promise.all([Promise.all(topics.map((topic) => admin.fetchTopicOffsets(topic))), admin.fetchOffsets({ groupId, topics: [...topics] })]);
    return topics.flatMap((topic, i) => {
      const committedBy = new Map((committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
      return ends[i].map(({ partition, high, low }) => {
        const done = committedBy.get(partition) ?? -1;
        // -1: nothing committed yet, so everything retained is lag.
        return { topic, partition, lag: Number(high) - (done < 0 ? Number(low) : done) };
      });
    });
  } finally {
    await admin.disconnect();
  }
}
