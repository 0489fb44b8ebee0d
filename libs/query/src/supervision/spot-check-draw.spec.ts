import { createHmac } from 'node:crypto';
import { drawSample, PopulationMember, populationDigest, rankOf, sampleSize } from './spot-check-draw';

const RATIOS = new Map([
  ['A', 0.03],
  ['B', 0.05],
  ['C', 0.2],
  ['D', 1],
]);
const SEED = 'a3'.repeat(32);
const otherSeed = (i: number) => i.toString(16).padStart(64, '0');

/** n members of a class, ids unique across classes. */
const members = (cls: string, n: number): PopulationMember[] => Array.from({ length: n }, (_, i) => ({ id: `${cls}-${String(i).padStart(5, '0')}`, class: cls, basis: 'rule' }));
const population = [...members('A', 100), ...members('B', 200), ...members('C', 10), ...members('D', 3)];

describe('sampleSize', () => {
  it('is ceil(ratio × n), exact where floating point is not', () => {
    expect(0.07 * 100).not.toBe(7); // why the ratio is kept in millionths
    expect(sampleSize(0.07, 100)).toBe(7);
    expect(sampleSize(0.05, 200)).toBe(10);
    expect(sampleSize(0.05, 201)).toBe(11);
    expect(sampleSize(0.03, 1)).toBe(1);
    expect(sampleSize(0.2, 0)).toBe(0);
    expect(sampleSize(0, 500)).toBe(0);
    expect(sampleSize(1, 37)).toBe(37);
  });
});

describe('drawSample', () => {
  it('is deterministic in seed and population, whatever the population order', () => {
    const first = drawSample(SEED, population, RATIOS);
    const again = drawSample(SEED, [...population].reverse(), RATIOS);
    expect(again).toEqual(first);
  });

  it('takes ceil(ratio × stratum size) from each class, in the model order', () => {
    const { strata, drawn } = drawSample(SEED, population, RATIOS);
    expect(strata).toEqual([
      { class: 'A', inspectionRatio: 0.03, population: 100, sampleSize: 3 },
      { class: 'B', inspectionRatio: 0.05, population: 200, sampleSize: 10 },
      { class: 'C', inspectionRatio: 0.2, population: 10, sampleSize: 2 },
      { class: 'D', inspectionRatio: 1, population: 3, sampleSize: 3 },
    ]);
    for (const { class: cls, sampleSize: k } of strata) expect(drawn.filter((d) => d.class === cls)).toHaveLength(k);
    // Each drawn subject is from its own stratum, each once; every D-class subject is drawn.
    expect(drawn.every((d) => d.id.startsWith(`${d.class}-`))).toBe(true);
    expect(new Set(drawn.map((d) => d.id)).size).toBe(drawn.length);
    expect(drawn.filter((d) => d.class === 'D').map((d) => d.id).sort()).toEqual(members('D', 3).map((m) => m.id));
  });

  it('draws the lowest HMAC-SHA256(seed, id) of each stratum, as anyone can recompute it', () => {
    const { drawn } = drawSample(SEED, population, RATIOS);
    const independent = (id: string) => createHmac('sha256', Buffer.from(SEED, 'hex')).update(id).digest('hex');
    for (const cls of ['A', 'B', 'C']) {
      const expected = population.filter((m) => m.class === cls).map((m) => ({ id: m.id, rank: independent(m.id) })).sort((a, b) => a.rank.localeCompare(b.rank));
      const got = drawn.filter((d) => d.class === cls);
      expect(got.map((d) => d.id)).toEqual(expected.slice(0, got.length).map((e) => e.id));
      expect(got.map((d) => d.rank)).toEqual(got.map((d) => rankOf(SEED, d.id)));
    }
  });

  it('weights by class: a class-C subject is drawn about four times as often as a class-B one', () => {
    const runs = 2000;
    let c = 0;
    let b = 0;
    for (let i = 0; i < runs; i++) {
      const ids = new Set(drawSample(otherSeed(i), population, RATIOS).drawn.map((d) => d.id));
      if (ids.has('C-00000')) c++;
      if (ids.has('B-00000')) b++;
    }
    // Expected 2/10 = 0.2 and 10/200 = 0.05 per draw; bounds at about four standard deviations.
    expect(c / runs).toBeGreaterThan(0.17);
    expect(c / runs).toBeLessThan(0.23);
    expect(b / runs).toBeGreaterThan(0.03);
    expect(b / runs).toBeLessThan(0.07);
  });

  it('depends on the seed: other seeds draw other subjects, each subject of a stratum equally often', () => {
    const samples = Array.from({ length: 400 }, (_, i) => drawSample(otherSeed(i), members('B', 20), new Map([['B', 0.25]])).drawn.map((d) => d.id).join());
    expect(new Set(samples).size).toBeGreaterThan(350);
    const counts = new Map<string, number>();
    for (const sample of samples) for (const id of sample.split(',')) counts.set(id, (counts.get(id) ?? 0) + 1);
    // 400 draws of 5 from 20: each subject expected 100 times.
    expect(counts.size).toBe(20);
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(60);
      expect(n).toBeLessThan(140);
    }
  });

  it('refuses a member whose class has no ratio', () => {
    expect(() => drawSample(SEED, [{ id: 'x', class: 'E', basis: 'rule' }], RATIOS)).toThrow('class "E" has no inspection ratio');
  });
});

describe('populationDigest', () => {
  it('ignores the order and changes with a member or its class', () => {
    const digest = populationDigest(population);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(populationDigest([...population].reverse())).toBe(digest);
    expect(populationDigest(population.slice(1))).not.toBe(digest);
    expect(populationDigest([{ ...population[0], class: 'B' }, ...population.slice(1)])).not.toBe(digest);
  });
});
