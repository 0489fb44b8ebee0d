import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CreditEvent } from '@app/domain';
import { DecisionRepository } from '@app/persistence';
import { buildCreditFacts, PlannedDecision, planDecisions } from '@app/rules';
import { CatalogueService } from './catalogue.service';
import { toFeedRecords } from './decision-record';

export interface ProcessedEvent {
  event: CreditEvent;
  decisions: PlannedDecision[];
}

/**
 * Decides a batch of validated events and stores the decisions and the feed records
 * announcing them in the caller's transaction: the caller commits them together with
 * its processed-event marker, or not at all.
 */
@Injectable()
export class CreditEventProcessor {
  constructor(
    private readonly catalogue: CatalogueService,
    private readonly decisions: DecisionRepository,
  ) {}

  async decide(events: readonly CreditEvent[]): Promise<ProcessedEvent[]> {
    const { ruleSet, evaluator } = this.catalogue.rules;
    const processed: ProcessedEvent[] = [];
    for (const event of events) {
      const facts = buildCreditFacts(event, ruleSet);
      const matches = await evaluator.evaluate(facts);
      processed.push({ event, decisions: planDecisions(event, facts, matches, ruleSet.revision) });
    }
    return processed;
  }

  async store(manager: EntityManager, processed: readonly ProcessedEvent[], now: Date): Promise<void> {
    const decisions = processed.flatMap((p) => p.decisions);
    await this.decisions.saveAll(manager, decisions, toFeedRecords(decisions, this.catalogue.rules.memoranda, now));
  }
}
