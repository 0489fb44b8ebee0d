import { Inject, Injectable } from '@nestjs/common';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { chinaDate, Clock, Department } from '@app/domain';
import { COORDINATION_MINUTES_SCHEMA, coordinationClosedRecords } from '@app/decision-log';
import { CatalogueService, CLOCK, schemaErrorText } from '@app/engine';
import { CoordinationCaseRow, CoordinationMinutes, CoordinationRepository, DecisionRepository } from '@app/persistence';
import { UUID } from '../paging/cursor-instant';
import { CoordinationCaseError } from './coordination-case.errors';

/** A coordination case as a department reads it. */
export interface CoordinationCaseView {
  id: string;
  criterion: string;
  cause: string;
  decisionIds: string[];
  /** The organisation's code; null for a natural person (the departments know them by the decisions). */
  subjectId: string | null;
  subjectKind: string;
  departments: string[];
  agenda: string[];
  facts: Record<string, unknown>;
  meetingOn: string;
  dueOn: string;
  status: 'open' | 'closed';
  openedAt: string;
  /** The meeting's minutes and joint documents, once the credit office closed the case. */
  minutes: CoordinationMinutes | null;
  closedAt: string | null;
  closedBy: string | null;
  acknowledgements: { department: string; acknowledgedAt: string }[];
  /** The departments concerned that have not acknowledged yet. */
  awaiting: string[];
}

/**
 * Coordination cases (工作协调会) as the departments they concern see them: a department reads the
 * cases naming it and acknowledges each once; the credit office, which convenes them, reads every case.
 */
@Injectable()
export class CoordinationCaseService {
  constructor(
    private readonly cases: CoordinationRepository,
    private readonly decisions: DecisionRepository,
    private readonly catalogue: CatalogueService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The credit office closes a case with its meeting's minutes and the joint documents issued for
   * it, once; every department the case concerns is told (coordination.closed).
   */
  async close(caller: Department, id: string, body: unknown): Promise<CoordinationCaseView> {
    if (!caller.assessesDepartments) throw new CoordinationCaseError('COORDINATION.CREDIT_OFFICE_ONLY', `the credit office convenes coordination meetings and records their minutes; "${caller.code}" reads and acknowledges`, { department: caller.code });
    const row = await this.found(caller, id);
    const minutes = this.minutesOf(body);
    const now = this.clock.now();
    const closed = await this.cases.transaction(async (manager) => {
      if (!(await this.cases.close(manager, row.id, minutes, caller.code, now))) return false;
      await this.decisions.saveFeedRecords(manager, coordinationClosedRecords({ ...row, minutes, closedBy: caller.code }, now));
      return true;
    });
    if (!closed) throw new CoordinationCaseError('COORDINATION.CASE_CLOSED', `coordination case ${row.id} was closed already; its minutes stand`, { caseId: row.id });
    return this.get(caller, id);
  }

  private minutesOf(body: unknown): CoordinationMinutes {
    if (!validateMinutes(body)) {
      const problems = (validateMinutes.errors ?? []).map(schemaErrorText);
      throw new CoordinationCaseError('COORDINATION.INVALID_MINUTES', `the minutes are not what a case is closed with: ${problems.join('; ')}`, { problems });
    }
    const minutes = body as CoordinationMinutes;
    const registry = this.catalogue.departments;
    const unknown = [...minutes.attendees, ...minutes.jointDocuments.flatMap((d) => d.issuedBy)].filter((code) => !registry.has(code));
    const problems = [
      ...(unknown.length > 0 ? [`unknown departments: ${[...new Set(unknown)].join(', ')}`] : []),
      ...(minutes.heldOn > chinaDate(this.clock.now()) ? [`heldOn ${minutes.heldOn} is in the future`] : []),
    ];
    if (problems.length > 0) throw new CoordinationCaseError('COORDINATION.INVALID_MINUTES', `the minutes are not what a case is closed with: ${problems.join('; ')}`, { problems });
    return { heldOn: minutes.heldOn, attendees: [...minutes.attendees], summary: minutes.summary, jointDocuments: minutes.jointDocuments.map((d) => ({ documentNumber: d.documentNumber, title: d.title, issuedBy: [...d.issuedBy] })) };
  }

  async list(caller: Department): Promise<{ cases: Omit<CoordinationCaseView, 'acknowledgements' | 'awaiting'>[] }> {
    const rows = await this.cases.concerning(caller.assessesDepartments ? undefined : caller.code, 200);
    return { cases: rows.map(viewOf) };
  }

  async get(caller: Department, id: string): Promise<CoordinationCaseView> {
    const row = await this.found(caller, id);
    const acknowledgements = (await this.cases.acknowledgements(row.id)).map((a) => ({ department: a.department, acknowledgedAt: new Date(a.acknowledgedAt).toISOString() }));
    const done = new Set(acknowledgements.map((a) => a.department));
    return { ...viewOf(row), acknowledgements, awaiting: row.departments.filter((d) => !done.has(d)) };
  }

  /** The caller acknowledges a case that concerns it; again, it is told when it first did. */
  async acknowledge(caller: Department, id: string): Promise<{ created: boolean; case: CoordinationCaseView }> {
    const row = await this.found(caller, id);
    if (!row.departments.includes(caller.code)) throw notFound(id);
    const created = await this.cases.acknowledge(row.id, caller.code, this.clock.now());
    return { created, case: await this.get(caller, id) };
  }

  private async found(caller: Department, id: string): Promise<CoordinationCaseRow> {
    const row = UUID.test(id) ? await this.cases.byId(id) : undefined;
    if (!row || (!caller.assessesDepartments && !row.departments.includes(caller.code))) throw notFound(id);
    return row;
  }
}

// ajv-formats checks heldOn is a real date (2026-02-30 is refused), not only its shape.
const validateMinutes = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(COORDINATION_MINUTES_SCHEMA);

function notFound(id: string): CoordinationCaseError {
  return new CoordinationCaseError('COORDINATION.CASE_NOT_FOUND', `no coordination case ${id.slice(0, 64)} concerns this department`, {});
}

function viewOf(row: CoordinationCaseRow): Omit<CoordinationCaseView, 'acknowledgements' | 'awaiting'> {
  return {
    id: row.id,
    criterion: row.criterion,
    cause: row.causeKey,
    decisionIds: row.decisionIds,
    subjectId: row.subjectKind === 'individual' ? null : row.subjectId,
    subjectKind: row.subjectKind,
    departments: row.departments,
    agenda: row.agenda,
    facts: row.facts,
    meetingOn: row.meetingOn,
    dueOn: row.dueOn,
    status: row.status,
    openedAt: new Date(row.openedAt).toISOString(),
    minutes: row.minutes,
    closedAt: row.closedAt === null ? null : new Date(row.closedAt).toISOString(),
    closedBy: row.closedBy,
  };
}
