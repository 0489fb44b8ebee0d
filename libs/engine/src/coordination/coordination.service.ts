import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { chinaDate, CreditEvent } from '@app/domain';
import { coordinationOpenedRecords, OpenedCase } from '@app/decision-log';
import { CoordinationRepository, DecisionRepository } from '@app/persistence';
import type { PlannedDecision } from '@app/rules';
import { CalendarService } from '../calendar/calendar.service';
import { CatalogueService } from '../catalogue.service';
import { CoordinationCriteria, loadCoordinationCriteria } from './coordination-criteria';
import { coordinationFacts } from './coordination-facts';

/** An event stored in this transaction, with the decisions stored for it. */
export interface DecidedEvent {
  event: CreditEvent;
  decisions: readonly PlannedDecision[];
}

/**
 * Opens a coordination case (召开工作协调会) for each major dishonesty event, in the transaction
 * that decided it: an event whose decisions added a blacklist entry, or whose severity is serious,
 * is weighed against the criteria of COORDINATION_FILE (read at start-up; a broken file stops the
 * boot), and each criterion it meets opens one case, told to every department it concerns. Other
 * events cost nothing here.
 */
@Injectable()
export class CoordinationService {
  private readonly logger = new Logger(CoordinationService.name);
  readonly criteria: CoordinationCriteria;

  constructor(
    config: AppConfig,
    private readonly catalogue: CatalogueService,
    private readonly calendars: CalendarService,
    private readonly cases: CoordinationRepository,
    private readonly decisions: DecisionRepository,
  ) {
    this.criteria = loadCoordinationCriteria(config.COORDINATION_FILE, new Set(catalogue.departments.all().map((d) => d.code)));
    this.logger.log(`coordination: ${this.criteria.criteria.length} criteria (${this.criteria.criteria.map((c) => c.id).join(', ') || 'none'})`);
  }

  /** The events worth weighing: those that blacklisted, or were serious. */
  static isCandidate({ event, decisions }: DecidedEvent): boolean {
    return decisions.some((d) => d.listEntries.some((e) => e.listType === 'black')) || (event.data as { severity?: unknown }).severity === 'serious';
  }

  async open(manager: EntityManager, decided: readonly DecidedEvent[], now: Date): Promise<void> {
    if (this.criteria.criteria.length === 0) return;
    const candidates = decided.filter(CoordinationService.isCandidate);
    if (candidates.length === 0) return;
    const office = this.catalogue.departments.all().filter((d) => d.assessesDepartments).map((d) => d.code);
    const today = chinaDate(now);
    const calendar = this.calendars.current;
    const blacklistings = await this.cases.blacklistingsWithinYear(manager, candidates.map((c) => c.event.data.subject.id), now);
    const opened: OpenedCase[] = [];
    for (const item of candidates) {
      const subject = item.event.data.subject;
      const facts = coordinationFacts(item.event, item.decisions, blacklistings.get(subject.id) ?? 0);
      for (const criterion of await this.criteria.matching(facts)) {
        const departments = [...new Set([...item.decisions.flatMap((d) => d.addressees), ...criterion.invite, ...office])].sort();
        opened.push({
          id: randomUUID(),
          criterion: { id: criterion.id, description: criterion.description },
          facts: { ...facts },
          causeKey: `${item.event.source}/${item.event.id}`,
          decisionIds: item.decisions.map((d) => d.id),
          subject: { kind: subject.kind, id: subject.id },
          departments,
          agenda: [...criterion.agenda],
          meetingOn: calendar.addWorkingDays(today, criterion.meetingWithinWorkingDays),
          dueOn: calendar.addWorkingDays(today, criterion.dueWithinWorkingDays),
        });
      }
    }
    const stored = new Set(
      await this.cases.open(
        manager,
        opened.map((c) => ({ id: c.id, criterion: c.criterion.id, causeKey: c.causeKey, subjectKind: c.subject.kind, subjectId: c.subject.id, decisionIds: c.decisionIds, departments: c.departments, agenda: c.agenda, facts: c.facts, meetingOn: c.meetingOn, dueOn: c.dueOn })),
        now,
      ),
    );
    const fresh = opened.filter((c) => stored.has(c.id));
    if (fresh.length === 0) return;
    await this.decisions.saveFeedRecords(manager, fresh.flatMap((c) => coordinationOpenedRecords(c, now)));
    for (const c of fresh) this.logger.log(`coordination case ${c.id} opened (${c.criterion.id}) for ${c.causeKey.slice(0, 96)}: meeting ${c.meetingOn}, due ${c.dueOn}`);
  }
}
