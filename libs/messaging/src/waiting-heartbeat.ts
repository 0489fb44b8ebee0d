/** How often a waiting slice heartbeats, and for how long at most. */
export interface WaitingHeartbeatLimits {
  intervalMs: number;
  maxMs: number;
}

/**
 * Waits for `work` (a transaction or an offset commit a slice shares with other partitions'
 * slices) while calling kafkajs' heartbeat every `intervalMs`: when every partition of a
 * consumer is waiting, nothing else heartbeats, and the broker would hand the partitions on
 * after the session timeout. kafkajs sends at most one heartbeat a heartbeat interval however
 * many slices call it. Heartbeats stop after `maxMs`, so a transaction stuck that long lets the
 * session lapse and the partitions go to a consumer that can make progress. A failed heartbeat
 * (a rebalance) is ignored here: the slice learns of the rebalance when its offset commit is
 * refused, and gives the partition up then.
 */
export async function heartbeatWhileWaiting<T>(work: Promise<T>, heartbeat: () => Promise<void>, { intervalMs, maxMs }: WaitingHeartbeatLimits): Promise<T> {
  const started = Date.now();
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const beat = (): void => {
    timer = undefined;
    if (done || Date.now() - started > maxMs) return;
    void heartbeat()
      .catch(() => undefined)
      .finally(() => {
        if (!done) timer = setTimeout(beat, intervalMs);
      });
  };
  timer = setTimeout(beat, intervalMs);
  try {
    return await work;
  } finally {
    done = true;
    if (timer) clearTimeout(timer);
  }
}
