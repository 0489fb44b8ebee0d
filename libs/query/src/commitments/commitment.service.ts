import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import {
  assertIdTypeMatchesKind,
  canonicalJson,
  chinaDate,
  Clock,
  Department,
  EVENT_TYPES,
  isOverdue,
  brokenOnIfNotKept,
  validateIdentifier,
} from '@app/domain';
import { CLOCK } from '@app/engine';
import { CommitmentRepository, CommitmentRow } from '@app/persistence';
import { createHash } from 'node:crypto';
import { AUDITED_ENDPOINTS, normaliseUserId, QueryAuditService } from '../audit/query-audit.service';
import { UUID } from '../paging/cursor-instant';
import { BreachDto, CommitmentDto, CorrectionDto, FulfilmentDto, parseBody } from './commitment.dto';
import { CommitmentError } from './commitment.errors';
import { correctionLastDay } from './correction-window';

export interface CommitmentView {
  id: string;
  reference: string;
  department: string;
  subject: { kind: string; idType: string; id: string; name: string };
  approvalItem: { code: string; name: string };
  promise: string;
  /** The promised date, inclusive (China time). */
  dueOn: string;
  approval: { reference: string; grantedOn: string };
  state: CommitmentRow['state'];
  fulfilment: { fulfilledOn: string; evidenceReference: string } | null;
  /** `reported` by the department, or `overdue`: not kept by its date, broken the day after. */
  breach: { kind: 'reported' | 'overdue'; breachedOn: string; reason: string; eventId: string | null } | null;
  /**
   * An automatic breach corrected by the department (kept in time, reported late): the breach it
   * corrected, the reason, and the removal event that withdrew its decision (null until the engine has).
   */
  correction: { correctedAt: string; reason: string; correctedBy: string | null; breach: { kind: 'overdue'; breachedOn: string; reason: string; eventId: string | null }; withdrawalEventId: string | null } | null;
  /** When the engine took a kept commitment into account (class recomputed; a corrected breach withdrawn); null until then, and for the others (a breach: `breach.eventId`). */
  settledAt: string | null;
  recordedAt: string;
  closedAt: string | null;
}

export interface RecordedCommitment {
  commitment: CommitmentView;
  /** False when this was a retry of a commitment already recorded under the same reference. */
  created: boolean;
}

/**
 * Credit commitments (信用承诺, 告知承诺) as approval systems record them: an applicant promised
 * to meet a condition by a date and got the approval at once. The recording department reports
 * the commitment kept or broken; one it does not report kept by its date is broken the day
 * after (the lifecycle scheduler). Each breach becomes a credit.commitment.breached.v1 event of
 * the recording department, announced to the engine by the scheduler exactly once.
 */
@Injectable()
export class CommitmentService {
  constructor(
    private readonly repository: CommitmentRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: QueryAuditService,
    private readonly config: AppConfig,
  ) {}

  async record(department: Department, body: unknown): Promise<RecordedCommitment> {
    requireCommitmentDepartment(department);
    const dto = parseBody(CommitmentDto, body);
    const today = this.today();
    assertIdTypeMatchesKind(dto.subject.kind, dto.subject.idType);
    const id = validateIdentifier(dto.subject.idType, dto.subject.id, { today: this.clock.now() }).value;
    notInFuture('approval.grantedOn', dto.approval.grantedOn, today);
    if (dto.dueOn < dto.approval.grantedOn) {
      throw new CommitmentError('COMMITMENT.DATE_BEFORE_APPROVAL', `dueOn ${dto.dueOn} is before the approval was granted (${dto.approval.grantedOn}): a commitment is kept after the approval it unlocked`, {
        field: 'dueOn',
        dueOn: dto.dueOn,
        grantedOn: dto.approval.grantedOn,
      });
    }
    const content = {
      subject: { kind: dto.subject.kind, idType: dto.subject.idType, id, name: dto.subject.name },
      approvalItem: { code: dto.approvalItem.code, name: dto.approvalItem.name },
      promise: dto.promise,
      dueOn: dto.dueOn,
      approval: { reference: dto.approval.reference, grantedOn: dto.approval.grantedOn },
    };
    const contentHash = `sha256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
    const { row, created } = await this.repository.record({
      department: department.code,
      reference: dto.reference,
      contentHash,
      subjectKind: content.subject.kind,
      subjectIdType: content.subject.idType,
      subjectId: id,
      subjectName: content.subject.name,
      approvalItemCode: content.approvalItem.code,
      approvalItemName: content.approvalItem.name,
      promise: content.promise,
      dueOn: content.dueOn,
      approvalReference: content.approval.reference,
      approvalGrantedOn: content.approval.grantedOn,
    });
    if (!created && row.contentHash !== contentHash) {
      throw new CommitmentError('COMMITMENT.REFERENCE_REUSED', `reference "${dto.reference}" already names another commitment of ${department.code} (${row.id}); a retry must carry the same content`, {
        reference: dto.reference,
        commitmentId: row.id,
      });
    }
    return { commitment: toView(row), created };
  }

  /** The recording department's own commitment; it names the subject, so the read is logged first. */
  async read(department: Department, id: string, userId?: string): Promise<CommitmentView> {
    const reader = normaliseUserId(userId);
    const row = UUID.test(id) ? await this.repository.find(id) : undefined;
    if (!row) throw notFound(id);
    ownedBy(row, department);
    return this.audit.logRead({ department: department.code, userId: reader ?? undefined }, AUDITED_ENDPOINTS.commitment, toView(row), 1);
  }

  async fulfil(department: Department, id: string, body: unknown): Promise<CommitmentView> {
    const dto = parseBody(FulfilmentDto, body);
    notInFuture('fulfilledOn', dto.fulfilledOn, this.today());
    return this.close(department, id, async (manager, row) => {
      if (dto.fulfilledOn < row.approvalGrantedOn) throw beforeApproval('fulfilledOn', dto.fulfilledOn, row);
      // The date is inclusive: kept on the due date is in time; a day later it was already broken.
      if (isOverdue(row.dueOn, dto.fulfilledOn)) {
        throw new CommitmentError('COMMITMENT.PAST_DUE', `commitment ${row.id} was due on ${row.dueOn} (inclusive): fulfilled on ${dto.fulfilledOn}, it was broken on ${brokenOnIfNotKept(row.dueOn)}`, {
          commitmentId: row.id,
          dueOn: row.dueOn,
          brokenOn: brokenOnIfNotKept(row.dueOn),
        });
      }
      return this.repository.markKept(manager, row.id, dto.fulfilledOn, dto.evidenceReference, this.clock.now());
    });
  }

  /**
   * Correct an automatic breach (信用承诺 reported kept late): only an overdue breach, only within
   * COMMITMENT_CORRECTION_DAYS of the day it was broken or, if later, recorded, and only if the commitment was kept in
   * time (on or before its due date). The commitment becomes kept; the next lifecycle tick
   * withdraws the breach decision through the removal path (every addressee is told) and
   * recomputes the class. A reported breach is the department's own finding: it is not corrected
   * here but removed, repaired or revoked on objection like any decision.
   */
  async correct(department: Department, id: string, body: unknown, userId?: string): Promise<CommitmentView> {
    const correctedBy = normaliseUserId(userId);
    const dto = parseBody(CorrectionDto, body);
    const today = this.today();
    notInFuture('fulfilledOn', dto.fulfilledOn, today);
    // The answer names the subject (a person's resident ID, perhaps): logged as read() logs it.
    const corrected = await this.closed(department, id, async (manager, row) => {
      if (row.state !== 'breached' || row.breachKind !== 'overdue') {
        throw new CommitmentError('COMMITMENT.NOT_CORRECTABLE', `commitment ${row.id} is ${row.state === 'breached' ? 'reported broken by its department' : row.state}: only a breach made automatically (not reported kept by its date) can be corrected`, {
          commitmentId: row.id,
          state: row.state,
          breachKind: row.breachKind,
        });
      }
      const lastDay = correctionLastDay(row.closedOn!, row.closedAt, this.config.COMMITMENT_CORRECTION_DAYS);
      if (this.config.COMMITMENT_CORRECTION_DAYS === 0 || today > lastDay) {
        throw new CommitmentError('COMMITMENT.CORRECTION_TOO_LATE', `commitment ${row.id} was broken on ${row.closedOn}; it could be corrected for ${this.config.COMMITMENT_CORRECTION_DAYS} days (COMMITMENT_CORRECTION_DAYS) from then or from the day the breach was recorded, through ${lastDay}`, {
          commitmentId: row.id,
          brokenOn: row.closedOn,
          correctionDays: this.config.COMMITMENT_CORRECTION_DAYS,
          lastDay,
        });
      }
      if (dto.fulfilledOn < row.approvalGrantedOn) throw beforeApproval('fulfilledOn', dto.fulfilledOn, row);
      if (isOverdue(row.dueOn, dto.fulfilledOn)) {
        throw new CommitmentError('COMMITMENT.PAST_DUE', `commitment ${row.id} was due on ${row.dueOn} (inclusive): fulfilled on ${dto.fulfilledOn}, it was rightly broken on ${row.closedOn}`, {
          commitmentId: row.id,
          dueOn: row.dueOn,
          brokenOn: row.closedOn,
        });
      }
      return this.repository.markCorrected(manager, row.id, dto.fulfilledOn, dto.evidenceReference, dto.reason, correctedBy, this.clock.now());
    });
    return this.audit.logRead({ department: department.code, userId: correctedBy ?? undefined }, AUDITED_ENDPOINTS.commitmentCorrection, corrected, 1);
  }

  async breach(department: Department, id: string, body: unknown): Promise<CommitmentView> {
    const dto = parseBody(BreachDto, body);
    notInFuture('breachedOn', dto.breachedOn, this.today());
    const reason = dto.caseReference ? `${dto.reason} (${dto.caseReference})` : dto.reason;
    return this.close(department, id, async (manager, row) => {
      if (dto.breachedOn < row.approvalGrantedOn) throw beforeApproval('breachedOn', dto.breachedOn, row);
      return this.repository.markBreached(manager, row.id, dto.breachedOn, reason, this.clock.now());
    });
  }

  /** Lock, check it is the caller's and still open, then close it: a report and the scheduler never both close one. */
  private async close(department: Department, id: string, transition: Transition): Promise<CommitmentView> {
    return this.closed(department, id, async (manager, row) => {
      if (row.state !== 'open') {
        throw new CommitmentError('COMMITMENT.ALREADY_CLOSED', `commitment ${id} is already ${row.state === 'kept' ? 'kept' : 'broken'} (on ${row.closedOn})`, {
          commitmentId: id,
          state: row.state,
          closedOn: row.closedOn,
        });
      }
      return transition(manager, row);
    });
  }

  /** Lock, check it is the caller's, then change it as `transition` decides. */
  private async closed(department: Department, id: string, transition: Transition): Promise<CommitmentView> {
    if (!UUID.test(id)) throw notFound(id);
    const changed = await this.repository.inTransaction(async (manager) => {
      const row = await this.repository.lock(manager, id);
      if (!row) throw notFound(id);
      ownedBy(row, department);
      return transition(manager, row);
    });
    return toView(changed);
  }

  private today(): string {
    return chinaDate(this.clock.now());
  }
}

type Transition = (manager: Parameters<Parameters<CommitmentRepository['inTransaction']>[0]>[0], row: CommitmentRow) => Promise<CommitmentRow>;

/** Only a department that may publish commitments records them (its registry entry says so). */
function requireCommitmentDepartment(department: Department): void {
  if (department.publishes.eventTypes.includes(EVENT_TYPES.commitmentBreached)) return;
  throw new CommitmentError('COMMITMENT.NOT_ALLOWED', `department "${department.code}" does not record credit commitments (it may not publish ${EVENT_TYPES.commitmentBreached})`, {
    department: department.code,
  });
}

function ownedBy(row: CommitmentRow, department: Department): void {
  if (row.department === department.code) return;
  throw new CommitmentError('COMMITMENT.NOT_RECORDING_DEPARTMENT', `commitment ${row.id} was recorded by another department; only it reads and closes it`, { commitmentId: row.id });
}

function notInFuture(field: string, date: string, today: string): void {
  if (date <= today) return;
  throw new CommitmentError('COMMITMENT.DATE_IN_FUTURE', `${field} ${date} is in the future (today is ${today}, China time)`, { field, date, today });
}

function beforeApproval(field: string, date: string, row: CommitmentRow): CommitmentError {
  return new CommitmentError('COMMITMENT.DATE_BEFORE_APPROVAL', `${field} ${date} is before the approval was granted (${row.approvalGrantedOn})`, {
    field,
    date,
    grantedOn: row.approvalGrantedOn,
  });
}

function notFound(id: string): CommitmentError {
  // Only a well-formed id is echoed: a path segment could be anything, a person's identifier included.
  if (!UUID.test(id)) return new CommitmentError('COMMITMENT.NOT_FOUND', 'no commitment with that id (commitment ids are UUIDs)');
  return new CommitmentError('COMMITMENT.NOT_FOUND', `no commitment ${id}`, { commitmentId: id });
}

export function toView(row: CommitmentRow): CommitmentView {
  return {
    id: row.id,
    reference: row.reference,
    department: row.department,
    subject: { kind: row.subjectKind, idType: row.subjectIdType, id: row.subjectId, name: row.subjectName },
    approvalItem: { code: row.approvalItemCode, name: row.approvalItemName },
    promise: row.promise,
    dueOn: row.dueOn,
    approval: { reference: row.approvalReference, grantedOn: row.approvalGrantedOn },
    state: row.state,
    fulfilment: row.state === 'kept' ? { fulfilledOn: row.closedOn!, evidenceReference: row.evidenceReference! } : null,
    breach: row.state === 'breached' ? { kind: row.breachKind!, breachedOn: row.closedOn!, reason: row.breachReason!, eventId: row.breachEventId } : null,
    correction:
      row.correctedAt !== null
        ? {
            correctedAt: new Date(row.correctedAt).toISOString(),
            reason: row.correctionReason!,
            correctedBy: row.correctedBy,
            breach: { kind: 'overdue', breachedOn: brokenOnIfNotKept(row.dueOn), reason: row.breachReason!, eventId: row.breachEventId },
            withdrawalEventId: row.withdrawalEventId,
          }
        : null,
    settledAt: row.settledAt ? new Date(row.settledAt).toISOString() : null,
    recordedAt: new Date(row.recordedAt).toISOString(),
    closedAt: row.closedAt ? new Date(row.closedAt).toISOString() : null,
  };
}
