import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { CatalogueService, RuleBase, RulesInForceService } from '@app/engine';
import { maskIdentifier } from '@app/domain';
import { Explanation, ReleaseError, RuleContent, withMemorandumFile } from '@app/rules';
import { ReleaseService } from '../releases/release.service';
import { DecisionDifference, diffDecisions } from './decision-diff';
import { footprintOfPlanned, footprintOfStored, MeasureFootprint } from './decision-footprint';
import { draftRules, SimulatedRules } from './draft-rule-set';
import { HistoryReader } from './history.reader';
import { differencesCsv } from './what-if-csv';
import { DraftRuleFiles, IN_FORCE_RELEASE, WhatIfRequest, WhatIfRules } from './what-if-request';
import { simulateEvent, WhatIfRun, WhatIfState } from './what-if-run';
import { WhatIfSummary } from './what-if-tally';
import { RuleFile, WhatIfError } from '@app/rules';

/**
 * Runs are simulated in the process serving the API, one at a time: a run keeps a core busy for
 * tens of seconds, and the machine has two. A worker can take them over later without changing the API.
 */
export const MAX_CONCURRENT_RUNS = 1;
/** Runs kept for reading (summary, drill-down, CSV); the oldest finished one goes first. */
export const KEPT_RUNS = 10;

export interface WhatIfProgress {
  id: string;
  state: WhatIfState;
  /** The draft's rule-set revision (content hash) or the release named. */
  simulated: string;
  /** For a draft: the rule set in force it was made from (the release in force, or rules/), the run comparing the draft with what was decided. */
  base?: RuleBase;
  period: { from: string; to: string };
  progress: { done: number; total: number };
  startedAt: string;
  finishedAt?: string;
  failure?: string;
  /** Whether the CSV holds every difference (false past MAX_DIFFERENCE_ROWS). */
  csvComplete: boolean;
  summary: WhatIfSummary;
}

/** One event under the draft: the decisions' explanations as stored and as the draft gives them, by memorandum and rule. */
export interface WhatIfEventDrillDown {
  source: string;
  eventId: string;
  eventType: string;
  decidedAt: string;
  differences: Array<Omit<DecisionDifference, 'subject'>>;
  before: Array<{ memorandumId: string; explanations: Record<string, Record<string, unknown>> }>;
  after: Array<{ memorandumId: string; explanations: Record<string, Explanation> }>;
}

/** How long a cancel waits for the run to stop before answering its state as it is. */
const CANCEL_WAIT_MS = 10_000;

@Injectable()
export class WhatIfService {
  private readonly logger = new Logger(WhatIfService.name);
  private readonly runs = new Map<string, WhatIfRun>();
  /** The base of each kept draft run. */
  private readonly bases = new Map<string, RuleBase>();

  constructor(
    private readonly config: AppConfig,
    private readonly catalogue: CatalogueService,
    private readonly history: HistoryReader,
    private readonly releases: ReleaseService,
    private readonly inForce: RulesInForceService,
  ) {}

  /** Starts a run (parseWhatIfRequest or parseEditedFileWhatIfRequest); it goes on in the background. Refused while MAX_CONCURRENT_RUNS run. */
  async start(request: WhatIfRequest): Promise<WhatIfProgress> {
    this.assertIdle();
    const { rules, label, base } = await this.simulated(request.rules);
    // Checked again: another start may have begun while the release was read.
    this.assertIdle();
    const run = new WhatIfRun(randomUUID(), request.period, rules, label);
    if (base) this.bases.set(run.id, base);
    this.keep(run);
    void run.execute(this.history).then(() => {
      const { decisions } = run.summary;
      this.logger.log(`what-if ${run.id} ${run.state}: ${run.done}/${run.total} events, ${decisions.gained} gained, ${decisions.lost} lost, ${decisions.changed} changed${run.failure ? ` (${run.failure})` : ''}`);
    });
    return this.view(run);
  }

  progress(id: string): WhatIfProgress {
    return this.view(this.run(id));
  }

  /** Asks the run to stop and answers once it has (it stops after the page it is on, well under a second), so the answer says `cancelled` or `finished`. */
  async cancel(id: string): Promise<WhatIfProgress> {
    const run = this.run(id);
    run.cancel();
    await Promise.race([run.settled, new Promise((resolve) => setTimeout(resolve, CANCEL_WAIT_MS).unref())]);
    return this.view(run);
  }

  /** The differences of a finished run (cancelled ones too: what was simulated). */
  csv(id: string): string {
    const run = this.run(id);
    if (run.state === 'running') throw new WhatIfError('WHAT_IF.NOT_FINISHED', `what-if ${id} is still running (${run.done}/${run.total}): the CSV comes when it is done`, { id });
    return differencesCsv(run.rows);
  }

  /** One event of the run's period simulated again: old explanation against new. */
  async drillDown(id: string, source: string, eventId: string): Promise<WhatIfEventDrillDown> {
    const run = this.run(id);
    // A control character (%00 in the path) could never have been accepted, and PostgreSQL refuses NUL in a parameter.
    for (const [name, value] of [['source', source], ['event id', eventId]] as const) {
      if (value.length === 0 || value.length > 200 || /[\u0000-\u001f\u007f]/.test(value)) throw new WhatIfError('WHAT_IF.INVALID_REQUEST', `a ${name} has 1 to 200 printable characters`, { id });
    }
    const received = await this.history.event(source, eventId, run.period.from, run.period.to);
    // The caller's source and id are not quoted back (free text in a path).
    if (!received) throw new WhatIfError('WHAT_IF.EVENT_NOT_FOUND', `no decided event of that source and id in the period of what-if ${id}`, { id });
    const { type, subject, decisions } = await simulateEvent(received, run.rules);
    const differences = diffDecisions(
      received.decisions.map((d) => footprintOfStored(d, subject)),
      decisions.map((d) => footprintOfPlanned(d, subject)),
    );
    return {
      source,
      eventId,
      eventType: type,
      decidedAt: received.decidedAt.toISOString(),
      differences: differences.map(maskedDifference),
      before: Object.entries(received.explanations).map(([memorandumId, explanations]) => ({ memorandumId, explanations })).sort((a, b) => a.memorandumId.localeCompare(b.memorandumId)),
      after: decisions.map((d) => ({
        memorandumId: d.memorandumId,
        explanations: Object.fromEntries([...d.listEntries, ...d.measureTasks].map((item) => [item.explanation.rule.name, item.explanation])),
      })),
    };
  }

  private assertIdle(): void {
    if ([...this.runs.values()].filter((r) => r.state === 'running').length >= MAX_CONCURRENT_RUNS) {
      throw new WhatIfError('WHAT_IF.BUSY', `a what-if run is already going (at most ${MAX_CONCURRENT_RUNS} at a time): wait for it or cancel it`);
    }
  }

  /** The rules a request names, built by the engine's loader, how the run names them (a revision, "in-force" or "release <n>"), and for a draft what it was made from. */
  private async simulated(rules: WhatIfRules): Promise<{ rules: SimulatedRules; label: string; base?: RuleBase }> {
    switch (rules.kind) {
      case 'in-force':
        return { rules: this.catalogue.rules, label: IN_FORCE_RELEASE };
      case 'draft': {
        const { base, content } = await this.inForce.content();
        return { ...this.built(rules.draft, content), base };
      }
      case 'edited-file': {
        const { base, content } = await this.inForce.content();
        return { ...this.built({ memoranda: withEditedFile(content, rules.file) }, content), base };
      }
      case 'release': {
        const content = await this.releaseContent(rules.version);
        const { rules: built } = this.built({ memoranda: Object.entries(content.memoranda).map(([file, text]) => ({ file, content: text })), instruments: content.instruments }, content);
        return { rules: built, label: `release ${rules.version}` };
      }
    }
  }

  private built(draft: DraftRuleFiles, inForce: RuleContent): { rules: SimulatedRules; label: string } {
    const rules = draftRules(draft, inForce, this.config.RULES_DIR, new Set(this.catalogue.departments.all().map((d) => d.code)));
    return { rules, label: rules.ruleSet.revision };
  }

  private async releaseContent(version: number) {
    try {
      return (await this.releases.get(version)).content;
    } catch (error) {
      if (error instanceof ReleaseError && error.code === 'RELEASE.NOT_FOUND') throw new WhatIfError('WHAT_IF.UNKNOWN_RELEASE', `no release ${version}`, { version });
      throw error;
    }
  }

  private run(id: string): WhatIfRun {
    const run = this.runs.get(id);
    if (!run) throw new WhatIfError('WHAT_IF.NOT_FOUND', `no what-if run ${id.slice(0, 40)} (runs are kept in memory: the last ${KEPT_RUNS}, until a restart)`);
    return run;
  }

  private keep(run: WhatIfRun): void {
    this.runs.set(run.id, run);
    for (const [id, old] of this.runs) {
      if (this.runs.size <= KEPT_RUNS) break;
      if (old.state !== 'running') {
        this.runs.delete(id);
        this.bases.delete(id);
      }
    }
  }

  private view(run: WhatIfRun): WhatIfProgress {
    return {
      id: run.id,
      state: run.state,
      simulated: run.label,
      ...(this.bases.has(run.id) ? { base: this.bases.get(run.id) } : {}),
      period: { from: run.period.from.toISOString(), to: run.period.to.toISOString() },
      progress: { done: run.done, total: run.total },
      startedAt: run.startedAt.toISOString(),
      ...(run.finishedAt ? { finishedAt: run.finishedAt.toISOString() } : {}),
      ...(run.failure ? { failure: run.failure } : {}),
      csvComplete: !run.rowsTruncated,
      summary: run.summary,
    };
  }
}

/** The memorandum files in force with one replaced, as the draft editor checks a draft; only a memorandum in force. */
function withEditedFile(inForce: RuleContent, edited: RuleFile): RuleFile[] {
  if (inForce.memoranda[edited.file] === undefined) throw new WhatIfError('WHAT_IF.INVALID_REQUEST', `no memorandum file ${edited.file} in the rule set in force: a draft replaces an existing memorandum's file`);
  return Object.entries(withMemorandumFile(inForce, edited.file, edited.content).memoranda).map(([file, content]) => ({ file, content }));
}

/** A difference as a drill-down shows it: no subject, measure targets' identifiers masked. */
function maskedDifference({ subject: _subject, ...rest }: DecisionDifference): Omit<DecisionDifference, 'subject'> {
  const mask = (m: MeasureFootprint): MeasureFootprint => ({ ...m, targetId: maskIdentifier(m.targetIdType, m.targetId) });
  return { ...rest, measuresGained: rest.measuresGained.map(mask), measuresLost: rest.measuresLost.map(mask), measuresChanged: rest.measuresChanged.map((c) => ({ before: mask(c.before), after: mask(c.after) })) };
}
