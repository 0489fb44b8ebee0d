import { Facts, Node } from './compile';

/**
 * The candidate index: what a rule requires of a fact's value (the disjunctive normal form of
 * its equality tests, one branch per alternative), and one bit mask per (fact, value) of the
 * branches that value admits. Per event the masks of the event's values are ANDed; the
 * surviving bits are the candidates.
 */

/** `in`: the fact must be one of the values; `out`: it must be none of them. A missing fact = no constraint. */
export type Constraint = { kind: 'in' | 'out'; values: Set<string> };
export type Constraints = Map<string, Constraint>;

/** One alternative of rule number `rule` (its place in the evaluator's order). */
export interface Branch {
  rule: number;
  constraints: Constraints;
}

export class CandidateIndex {
  /** Bit i of the candidate masks stands for branch i, a branch of rule branchRule[i]; a rule's branches have consecutive bits. */
  readonly branchRule: Int32Array;
  /** After {@link candidateWords}: the candidate bits, in the words of `acc` listed by `active`. */
  readonly acc: Uint32Array;
  readonly active: Int32Array;
  private readonly words: number;
  private readonly indexes: FactIndex[];
  /** The first two indexes combined (one mask per pair of values), when small enough. */
  private readonly lead: FactIndex | undefined;

  constructor(branches: readonly Branch[]) {
    this.branchRule = Int32Array.from(branches, (b) => b.rule);
    this.words = Math.max(1, Math.ceil(branches.length / 32));
    this.acc = new Uint32Array(this.words);
    this.active = new Int32Array(this.words);
    this.indexes = buildIndexes(branches, this.words);
    this.lead = this.indexes.length >= 2 ? combine(this.indexes[0], this.indexes[1], this.words) : undefined;
  }

  /** The indexed facts, in the order they are looked up. */
  get indexedFacts(): string[] {
    return this.indexes.map((i) => i.fact);
  }

  /**
   * AND the masks of every indexed fact's value into `acc`; returns how many words of it are
   * non-zero (their indexes in `active`). Only the first fact's non-zero words are ever
   * touched, so the cost follows the candidates, not the size of the rule set.
   */
  candidateWords(facts: Facts): number {
    const indexes = this.indexes;
    const acc = this.acc;
    const active = this.active;
    if (indexes.length === 0) {
      // Nothing to index on: every branch is a candidate.
      const count = this.branchRule.length;
      for (let w = 0; w < this.words; w++) {
        acc[w] = count - w * 32 >= 32 ? 0xffffffff : (1 << (count - w * 32)) - 1;
        active[w] = w;
      }
      return count === 0 ? 0 : this.words;
    }
    const words = this.words;
    const lead = this.lead;
    const first = lead ?? indexes[0];
    const firstMask = lead ? maskOf(indexes[0], facts) * (indexes[1].otherMask + 1) + maskOf(indexes[1], facts) : maskOf(first, facts);
    const firstBits = first.bits;
    const firstBase = firstMask * words;
    const wordList = first.wordList;
    const end = first.wordStart[firstMask + 1];
    let live = 0;
    for (let j = first.wordStart[firstMask]; j < end; j++) {
      const w = wordList[j];
      acc[w] = firstBits[firstBase + w];
      active[live++] = w;
    }
    for (let k = lead ? 2 : 1; k < indexes.length && live > 0; k++) {
      const index = indexes[k];
      const bits = index.bits;
      const base = maskOf(index, facts) * words;
      let kept = 0;
      for (let i = 0; i < live; i++) {
        const w = active[i];
        const v = acc[w] & bits[base + w];
        if (v !== 0) {
          acc[w] = v;
          active[kept++] = w;
        }
      }
      live = kept;
    }
    return live;
  }
}

/** A rule with more alternatives than this is indexed by one merged branch (still correct, less selective). */
const MAX_BRANCHES = 16;

/**
 * The rule's alternatives (disjunctive normal form of its equality tests): the rule can only
 * hold if, for some branch, every constraint of that branch holds. Branches that can never
 * hold (`in` an empty set) are dropped. An empty map is a branch without constraints.
 * Undefined when there would be more than MAX_BRANCHES (or a sub-tree has too many).
 */
export function dnf(node: Node): Constraints[] | undefined {
  switch (node.kind) {
    case 'fact':
      return [factConstraint(node)];
    case 'all': {
      let product: Constraints[] = [new Map()];
      for (const child of node.children) {
        const alternatives = dnf(child);
        if (!alternatives) return undefined;
        const next: Constraints[] = [];
        for (const left of product) for (const right of alternatives) {
          const merged = new Map(left);
          for (const [fact, constraint] of right) {
            const current = merged.get(fact);
            merged.set(fact, current ? intersect(current, constraint) : constraint);
          }
          if (satisfiable(merged)) next.push(merged);
        }
        if (next.length > MAX_BRANCHES) return undefined;
        product = next;
      }
      return product;
    }
    case 'any': {
      if (node.children.length === 0) return [new Map()];
      const alternatives: Constraints[] = [];
      for (const child of node.children) {
        const branches = dnf(child);
        if (!branches) return undefined;
        alternatives.push(...branches);
      }
      if (alternatives.some((b) => b.size === 0)) return [new Map()];
      return alternatives.length > MAX_BRANCHES ? undefined : alternatives;
    }
    default:
      return [new Map()]; // not, ref: no usable constraint
  }
}

/**
 * Whether the index decides the node exactly (candidate ⇔ true): only all/any of equal /
 * notEqual / in / notIn tests on string values, so each branch's constraints are the
 * branch itself.
 */
export function isExactlyIndexed(node: Node): boolean {
  switch (node.kind) {
    case 'all':
    case 'any':
      return node.children.every(isExactlyIndexed);
    case 'fact': {
      if (node.factName === undefined || !node.valueIsLiteral) return false;
      const { operator, value } = node.cond;
      if (operator === 'equal' || operator === 'notEqual') return typeof value === 'string';
      if (operator === 'in' || operator === 'notIn') return Array.isArray(value) && value.every((v) => typeof v === 'string');
      return false;
    }
    default:
      return false;
  }
}

export function satisfiable(constraints: Constraints): boolean {
  for (const constraint of constraints.values()) if (constraint.kind === 'in' && constraint.values.size === 0) return false;
  return true;
}

/** Over-approximation in one branch: if the node is true, every constraint holds. */
export function constraintsOf(node: Node): Constraints {
  switch (node.kind) {
    case 'fact':
      return factConstraint(node);
    case 'all': {
      const result: Constraints = new Map();
      for (const child of node.children) {
        for (const [fact, constraint] of constraintsOf(child)) {
          const current = result.get(fact);
          result.set(fact, current ? intersect(current, constraint) : constraint);
        }
      }
      return result;
    }
    case 'any': {
      if (node.children.length === 0) return new Map();
      const [first, ...rest] = node.children.map(constraintsOf);
      const result: Constraints = new Map();
      for (const [fact, constraint] of first) {
        let union: Constraint | undefined = constraint;
        for (const other of rest) {
          const next = other.get(fact);
          union = next ? unite(union, next) : undefined;
          if (!union) break;
        }
        if (union) result.set(fact, union);
      }
      return result;
    }
    default:
      return new Map(); // not, ref
  }
}

function factConstraint(node: Node): Constraints {
  const { fact, operator, value, path } = node.cond;
  if (typeof fact !== 'string' || fact === '' || fact in Object.prototype || path || !node.valueIsLiteral) return new Map();
  const strings = (values: unknown[]) => values.filter((v): v is string => typeof v === 'string');
  switch (operator) {
    case 'equal':
      return typeof value === 'string' ? new Map([[fact, { kind: 'in', values: new Set([value]) }]]) : new Map();
    case 'notEqual':
      return typeof value === 'string' ? new Map([[fact, { kind: 'out', values: new Set([value]) }]]) : new Map();
    case 'in':
      // Only lists of strings: a non-string member could equal a non-string fact value.
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? new Map([[fact, { kind: 'in', values: new Set(value as string[]) }]]) : new Map();
    case 'notIn':
      return Array.isArray(value) ? new Map([[fact, { kind: 'out', values: new Set(strings(value)) }]]) : new Map();
    default:
      return new Map();
  }
}

function intersect(a: Constraint, b: Constraint): Constraint {
  if (a.kind === 'in' && b.kind === 'in') return { kind: 'in', values: new Set([...a.values].filter((v) => b.values.has(v))) };
  if (a.kind === 'in') return { kind: 'in', values: new Set([...a.values].filter((v) => !b.values.has(v))) };
  if (b.kind === 'in') return intersect(b, a);
  return { kind: 'out', values: new Set([...a.values, ...b.values]) };
}

function unite(a: Constraint, b: Constraint): Constraint {
  if (a.kind === 'in' && b.kind === 'in') return { kind: 'in', values: new Set([...a.values, ...b.values]) };
  if (a.kind === 'out' && b.kind === 'out') return { kind: 'out', values: new Set([...a.values].filter((v) => b.values.has(v))) };
  const [inside, outside] = a.kind === 'in' ? [a, b] : [b, a];
  return { kind: 'out', values: new Set([...outside.values].filter((v) => !inside.values.has(v))) };
}

/**
 * One indexed fact. Mask m (a set of branches, one bit each) is bits[m*words … (m+1)*words),
 * and its non-zero words are wordList[wordStart[m] … wordStart[m+1]): all in flat arrays,
 * so a lookup touches one Map entry (a small integer) and contiguous memory.
 */
interface FactIndex {
  fact: string;
  maskByValue: Map<string, number>;
  /** Branches admitting a value named by no rule (or a non-string value). */
  otherMask: number;
  bits: Uint32Array;
  wordStart: Int32Array;
  wordList: Int32Array;
}

function admits(constraint: Constraint | undefined, value: string | undefined): boolean {
  if (!constraint) return true;
  const listed = value !== undefined && constraint.values.has(value);
  return constraint.kind === 'in' ? listed : !listed;
}

function buildIndexes(branches: readonly { constraints: Constraints }[], words: number): FactIndex[] {
  const constrainedBy = new Map<string, Constraints[]>();
  for (const { constraints } of branches) {
    for (const fact of constraints.keys()) {
      const list = constrainedBy.get(fact) ?? [];
      list.push(constraints);
      constrainedBy.set(fact, list);
    }
  }
  const built = [...constrainedBy.entries()].map(([fact, constrained]) => {
    const values = new Set<string>();
    for (const constraints of constrained) for (const v of constraints.get(fact)!.values) values.add(v);
    const keys = [...values, undefined];
    const bits = new Uint32Array(keys.length * words);
    keys.forEach((value, m) => {
      branches.forEach(({ constraints }, bit) => {
        if (admits(constraints.get(fact), value)) bits[m * words + (bit >>> 5)] |= 1 << (bit & 31);
      });
    });
    const wordStart = new Int32Array(keys.length + 1);
    const wordList: number[] = [];
    let population = 0;
    keys.forEach((_, m) => {
      wordStart[m] = wordList.length;
      for (let w = 0; w < words; w++) {
        const word = bits[m * words + w];
        if (word !== 0) wordList.push(w);
        population += popcount(word);
      }
    });
    wordStart[keys.length] = wordList.length;
    const index: FactIndex = {
      fact,
      maskByValue: new Map([...values].map((value, m) => [value, m])),
      otherMask: keys.length - 1,
      bits,
      wordStart,
      wordList: Int32Array.from(wordList),
    };
    // Mean non-zero words per mask (the first fact bounds the words ever touched), and mean branches let through.
    return { index, spread: wordList.length / keys.length, density: population / keys.length };
  });
  // The sparsest first, then the most selective.
  built.sort((a, b) => a.spread - b.spread || a.index.fact.localeCompare(b.index.fact));
  const [first, ...rest] = built;
  if (!first) return [];
  rest.sort((a, b) => a.density - b.density || a.index.fact.localeCompare(b.index.fact));
  return [first, ...rest].map((b) => b.index);
}

/**
 * Two indexes as one: mask a·|b|+b is mask a of the first AND mask b of the second, so the
 * first lookup already leaves few live words. Skipped when it would take more than 4 MB.
 */
function combine(first: FactIndex, second: FactIndex, words: number): FactIndex | undefined {
  const countA = first.otherMask + 1;
  const countB = second.otherMask + 1;
  if (countA * countB * words > 1 << 20) return undefined;
  const bits = new Uint32Array(countA * countB * words);
  const wordStart = new Int32Array(countA * countB + 1);
  const wordList: number[] = [];
  for (let a = 0; a < countA; a++) {
    for (let b = 0; b < countB; b++) {
      const m = a * countB + b;
      wordStart[m] = wordList.length;
      for (let w = 0; w < words; w++) {
        const v = first.bits[a * words + w] & second.bits[b * words + w];
        bits[m * words + w] = v;
        if (v !== 0) wordList.push(w);
      }
    }
  }
  wordStart[countA * countB] = wordList.length;
  return { fact: `${first.fact}+${second.fact}`, maskByValue: new Map(), otherMask: -1, bits, wordStart, wordList: Int32Array.from(wordList) };
}

function popcount(word: number): number {
  let count = 0;
  while (word !== 0) {
    word &= word - 1;
    count++;
  }
  return count;
}

/** The mask (its number in the index) for the fact's value in these facts. */
function maskOf(index: FactIndex, facts: Facts): number {
  const value = facts[index.fact];
  if (typeof value === 'string') {
    const mask = index.maskByValue.get(value);
    if (mask !== undefined) return mask;
  }
  return index.otherMask;
}
