import { Inject, Injectable } from '@nestjs/common';
import { Clock, Department } from '@app/domain';
import { CLOCK } from '@app/engine';
import { CoordinationCaseRow, CoordinationRepository } from '@app/persistence';
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
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

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
  };
}
