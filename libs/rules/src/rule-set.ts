import { ListDefinition, Memorandum } from './memorandum';

/**
 * An immutable, validated set of memoranda. `revision` is the content hash of every
 * rule file, so a decision can name exactly the rules it was made under.
 */
export class RuleSet {
  readonly listsByCode: ReadonlyMap<string, { list: ListDefinition; memorandum: Memorandum }>;

  constructor(
    readonly revision: string,
    readonly memoranda: readonly Memorandum[],
  ) {
    this.listsByCode = new Map(memoranda.map((memorandum) => [memorandum.list.code, { list: memorandum.list, memorandum }]));
    Object.freeze(this);
  }

  memorandum(id: string): Memorandum | undefined {
    return this.memoranda.find((m) => m.id === id);
  }

  list(code: string): ListDefinition | undefined {
    return this.listsByCode.get(code)?.list;
  }
}
