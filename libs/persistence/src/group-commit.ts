/** Settings of a GroupCommit: how many groups may be in flight, and how large one may grow. */
export interface GroupCommitLimits<I = unknown> {
  maxInFlight: number;
  maxGroupSize: number;
  /**
   * With `weigh`: a group stops growing before its items' weights would pass this (a group
   * always takes at least one item), e.g. messages per transaction when items are batches.
   */
  maxGroupWeight?: number;
  weigh?: (item: I) => number;
  /**
   * An item for which this is true runs in a group of its own, and a group stops before it:
   * an item retried after its group failed runs alone, so only its own failure is its own.
   */
  alone?: (item: I) => boolean;
}

interface Waiting<I, O> {
  item: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs items in groups, one statement (and so one commit) a group: an item arriving while
 * `maxInFlight` groups are running waits and joins the next group, so groups grow with the load
 * and an item on an idle writer is run at once, alone. Each caller gets its own output once its
 * group has committed; a group that fails fails each of its items with the group's error.
 */
export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private inFlight = 0;

  /** `run` answers the items of a group in their order, one output each. */
  constructor(
    private readonly run: (items: readonly I[]) => Promise<readonly O[]>,
    private readonly limits: GroupCommitLimits<I>,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.inFlight < this.limits.maxInFlight && this.waiting.length > 0) {
      const group = this.waiting.splice(0, this.groupLength());
      this.inFlight++;
      void this.commit(group);
    }
  }

  /** How many of the waiting items the next group takes. */
  private groupLength(): number {
    const { maxGroupSize, maxGroupWeight, weigh, alone } = this.limits;
    let limit = Math.min(maxGroupSize, this.waiting.length);
    if (alone) {
      if (alone(this.waiting[0].item)) return 1;
      for (let i = 1; i < limit; i++) if (alone(this.waiting[i].item)) limit = i;
    }
    if (maxGroupWeight === undefined || weigh === undefined) return limit;
    let weight = weigh(this.waiting[0].item);
    let length = 1;
    while (length < limit && weight + weigh(this.waiting[length].item) <= maxGroupWeight) weight += weigh(this.waiting[length++].item);
    return length;
  }

  private async commit(group: Waiting<I, O>[]): Promise<void> {
    try {
      const outputs = await this.run(group.map((waiting) => waiting.item));
      if (outputs.length !== group.length) throw new Error(`a group of ${group.length} got ${outputs.length} answers`);
      group.forEach((waiting, i) => waiting.resolve(outputs[i]));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    } finally {
      this.inFlight--;
      this.next();
    }
  }
}
