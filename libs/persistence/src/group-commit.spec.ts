import { GroupCommit } from './group-commit';

/** A run whose groups finish when the test says, recording what each group held. */
function controlledRun() {
  const groups: number[][] = [];
  const finish: (() => void)[] = [];
  const failures = new Map<number, Error>();
  const run = (items: readonly number[]) =>
    new Promise<readonly string[]>((resolve, reject) => {
      const index = groups.push([...items]) - 1;
      finish.push(() => (failures.has(index) ? reject(failures.get(index)) : resolve(items.map((item) => `row-${item}`))));
    });
  return { run, groups, finish, failures };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommit', () => {
  it('runs an item on an idle writer at once, alone', async () => {
    const { run, groups, finish } = controlledRun();
    const commit = new GroupCommit(run, { maxInFlight: 1, maxGroupSize: 10 });
    const answer = commit.submit(1);
    expect(groups).toEqual([[1]]);
    finish[0]();
    await expect(answer).resolves.toBe('row-1');
  });

  it('gathers the items that arrive while a group is in flight into the next group, each answered with its own output', async () => {
    const { run, groups, finish } = controlledRun();
    const commit = new GroupCommit(run, { maxInFlight: 1, maxGroupSize: 10 });
    const answers = [1, 2, 3, 4].map((item) => commit.submit(item));
    expect(groups).toEqual([[1]]);
    finish[0]();
    await settle();
    expect(groups).toEqual([[1], [2, 3, 4]]);
    finish[1]();
    await expect(Promise.all(answers)).resolves.toEqual(['row-1', 'row-2', 'row-3', 'row-4']);
  });

  it('keeps groups within their size and the writer within its groups in flight', async () => {
    const { run, groups, finish } = controlledRun();
    const commit = new GroupCommit(run, { maxInFlight: 2, maxGroupSize: 2 });
    const answers = [1, 2, 3, 4, 5, 6, 7].map((item) => commit.submit(item));
    expect(groups).toEqual([[1], [2]]);
    finish[0]();
    await settle();
    expect(groups).toEqual([[1], [2], [3, 4]]);
    finish[1]();
    finish[2]();
    await settle();
    expect(groups.slice(3)).toEqual([[5, 6], [7]]);
    finish[3]();
    finish[4]();
    await expect(Promise.all(answers)).resolves.toHaveLength(7);
  });

  it('stops a group before its weight would pass the limit, and always takes one item however heavy', async () => {
    const { run, groups, finish } = controlledRun();
    const commit = new GroupCommit(run, { maxInFlight: 1, maxGroupSize: 10, maxGroupWeight: 5, weigh: (item: number) => item });
    const answers = [9, 2, 3, 1, 4].map((item) => commit.submit(item));
    expect(groups).toEqual([[9]]);
    finish[0]();
    await settle();
    expect(groups).toEqual([[9], [2, 3]]);
    finish[1]();
    await settle();
    expect(groups.slice(2)).toEqual([[1, 4]]);
    finish[2]();
    await expect(Promise.all(answers)).resolves.toHaveLength(5);
  });

  it('runs an item that must run alone in a group of its own, and ends a group before it', async () => {
    const { run, groups, finish } = controlledRun();
    // Negative items stand for retries that must run alone.
    const commit = new GroupCommit(run, { maxInFlight: 1, maxGroupSize: 10, alone: (item: number) => item < 0 });
    const answers = [1, 2, 3, -4, 5, -6, -7, 8].map((item) => commit.submit(item));
    for (let i = 0; i < 7; i++) {
      finish[i]();
      await settle();
    }
    await expect(Promise.all(answers)).resolves.toHaveLength(8);
    expect(groups).toEqual([[1], [2, 3], [-4], [5], [-6], [-7], [8]]);
  });

  it('fails each item of a failed group with its error, and goes on with the next group', async () => {
    const { run, groups, finish, failures } = controlledRun();
    const commit = new GroupCommit(run, { maxInFlight: 1, maxGroupSize: 10 });
    const first = commit.submit(1);
    const failed = [2, 3].map((item) => commit.submit(item));
    const later = commit.submit(4);
    failures.set(1, new Error('connection lost'));
    finish[0]();
    await settle();
    expect(groups[1]).toEqual([2, 3, 4]);
    finish[1]();
    await expect(first).resolves.toBe('row-1');
    for (const answer of [...failed, later]) await expect(answer).rejects.toThrow('connection lost');
    commit.submit(5);
    expect(groups[2]).toEqual([5]);
  });

  it('refuses a group whose statement answered a different number of rows', async () => {
    const commit = new GroupCommit(async (items: readonly number[]) => items.slice(1).map(String), { maxInFlight: 1, maxGroupSize: 10 });
    await expect(commit.submit(1)).rejects.toThrow('a group of 1 got 0 answers');
  });
});
