import { InstrumentCatalogue } from './instrument-catalogue';
import { ListDefinition, Memorandum } from './memorandum';
import { RuleProblem } from './rule-set.errors';

/**
 * An immutable, validated set of memoranda, their citations resolved against the
 * instrument catalogue it was built with. `revision` is the content hash of every rule
 * file and of the catalogue, so a decision can name exactly the rules it was made under.
 */
export class RuleSet {
  readonly listsByCode: ReadonlyMap<string, { list: ListDefinition; memorandum: Memorandum }>;

  constructor(
    readonly revision: string,
    readonly memoranda: readonly Memorandum[],
    readonly instruments: InstrumentCatalogue,
    /** What the set was accepted with but policy staff should act on (e.g. a cited instrument repealed soon), as of the day it was built. */
    readonly warnings: readonly RuleProblem[] = [],
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
