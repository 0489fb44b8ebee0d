import { Injectable } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { chinaDate } from '@app/domain';
import { readDepartmentsDocument, releaseInForce, RuleBase } from '@app/engine';
import { ApprovalLeadViolation, ApprovedReleaseTime, RuleReleaseEntity, RuleReleaseRepository, RuleReleaseSummaryRow } from '@app/persistence';
import { checkEffectiveTime, checkFourEyes, diffRuleContent, ReleaseError, RuleContent, RuleContentDiff, readRuleContent, ruleContentFingerprint, ruleContentRevision } from '@app/rules';
import { checkReleaseContent } from './release-content-check';
import { DraftRequest, parseApprovalRequest, parseDraftRequest, parseRollbackRequest, parseVersion } from './release-request';

/** draft: awaiting approval; scheduled: approved, effective later; in-force: deciding now; superseded: a later one took effect. */
export type ReleaseStatus = 'draft' | 'scheduled' | 'in-force' | 'superseded';

export interface ReleaseSummary {
  version: number;
  id: string;
  revision: string;
  status: ReleaseStatus;
  author: string;
  approver: string | null;
  notes: string;
  createdAt: string;
  approvedAt: string | null;
  effectiveAt: string | null;
  /** For a rollback: the version whose content it restores. */
  rolledBackFrom: number | null;
  memoranda: string[];
}

export interface ReleaseView extends ReleaseSummary {
  content: RuleContent;
}

export interface ReleaseDiff {
  from: { version: number; revision: string };
  to: { version: number; revision: string };
  diff: RuleContentDiff;
}

/**
 * Rule-set releases (issue 14): drafts validated like `rules:check`, approval by a second person
 * with an effective time far enough ahead for every engine, rollback in one action, history and
 * diffs. The engines take approved releases from the database (RULES_SOURCE=database).
 */
@Injectable()
export class ReleaseService {
  constructor(
    private readonly config: AppConfig,
    private readonly releases: RuleReleaseRepository,
  ) {}

  async list(now = new Date()): Promise<ReleaseSummary[]> {
    const all = await this.releases.summaries();
    const inForce = inForceVersion(all, now);
    return all.map((r) => summaryOf(r, inForce, now));
  }

  async get(version: unknown, now = new Date()): Promise<ReleaseView> {
    const release = await this.find(version);
    return { ...summaryOf({ ...release, memoranda: Object.keys(release.content.memoranda) }, inForceVersion(await this.releases.approvedTimes(), now), now), content: release.content };
  }

  async diff(from: unknown, to: unknown): Promise<ReleaseDiff> {
    const [a, b] = [await this.find(from), await this.find(to)];
    return { from: { version: a.version, revision: a.revision }, to: { version: b.version, revision: b.revision }, diff: diffRuleContent(a.content, b.content) };
  }

  /** A draft from a request body. */
  async createDraft(body: unknown, now = new Date()): Promise<ReleaseView> {
    return this.createDraftFrom(parseDraftRequest(body), now);
  }

  /**
   * A draft of one change to the rule set in force (`base`; the console's draft editor submits
   * one): as createDraft, refused with RELEASE.NO_CHANGE when its content and cases are those it
   * was made from (an approver would have nothing to approve). `draftedOn`: the revision the
   * editor opened the draft on; when another release has taken effect since, the draft's copy of
   * its file may undo that release's change to it, so it is refused (a lost update) and drafted
   * again. The base is stored with the draft: its approval is refused over another release too.
   */
  async createChangeDraft(body: unknown, base: Pick<RuleBase, 'revision'> & { fingerprint?: string }, now = new Date(), draftedOn?: unknown): Promise<ReleaseView> {
    if (draftedOn !== undefined && (typeof draftedOn !== 'string' || !/^sha256:[0-9a-f]{16,64}$/.test(draftedOn))) {
      throw new ReleaseError('RELEASE.INVALID_REQUEST', '"baseRevision" must be the revision the draft was opened on (sha256:…, as GET /api/v1/drafts/{id} gives it)');
    }
    if (draftedOn !== undefined && draftedOn !== base.revision) {
      throw new ReleaseError('RELEASE.BASE_CHANGED', `the rule set in force changed after this draft was opened (opened on ${draftedOn}, in force now ${base.revision}): open the draft again so that it keeps what changed, then submit`, { draftedOn, inForce: base.revision });
    }
    const draft = parseDraftRequest(body);
    const revision = ruleContentRevision(draft.content);
    const unchanged = base.fingerprint === undefined ? revision === base.revision : ruleContentFingerprint(draft.content) === base.fingerprint;
    if (unchanged) {
      throw new ReleaseError('RELEASE.NO_CHANGE', `the draft is the rule set in force (${revision}) with the same rule cases: change something before submitting it`, { revision });
    }
    return this.createDraftFrom(draft, now, base.revision);
  }

  /** A draft from content already read (rules:import). */
  async createDraftFrom(draft: DraftRequest, now = new Date(), baseRevision?: string): Promise<ReleaseView> {
    const ruleSet = await this.check(draft.content, now);
    const created = await this.releases.create({ revision: ruleSet.revision, content: draft.content, author: draft.author, notes: draft.notes, ...(baseRevision ? { baseRevision } : {}) });
    return this.get(created.version, now);
  }

  async approve(version: unknown, request: unknown, now = new Date()): Promise<ReleaseView> {
    const { approver, effectiveAt } = parseApprovalRequest(request);
    const release = await this.find(version);
    if (release.approver !== null) throw new ReleaseError('RELEASE.NOT_DRAFT', `release ${release.version} was already approved`, { version: release.version });
    checkFourEyes(release.author, approver);
    checkEffectiveTime(effectiveAt, now, this.config.RELEASE_MIN_LEAD_MS);
    await this.checkBase(release, effectiveAt);
    const approved = await leadHeld(this.releases.approve(release.version, { approver, effectiveAt, leadMs: this.config.RELEASE_MIN_LEAD_MS }));
    if (!approved) throw new ReleaseError('RELEASE.NOT_DRAFT', `release ${release.version} was approved meanwhile`, { version: release.version });
    return this.get(approved.version, now);
  }

  /**
   * Rollback in one action: a new release with an earlier release's content, approved as it is
   * created. That content's author wrote it and the one who rolls back puts it back in force, so
   * four eyes still hold (the author of the restored release cannot roll back to it alone). It
   * takes effect at the earliest instant every engine has it ready, or later if asked.
   */
  async rollback(version: unknown, request: unknown, now = new Date()): Promise<ReleaseView> {
    const { actor, notes, effectiveAt } = parseRollbackRequest(request);
    const target = await this.find(version);
    if (target.approver === null) throw new ReleaseError('RELEASE.NOT_APPROVED', `release ${target.version} was never approved: only an approved release can be rolled back to`, { version: target.version });
    checkFourEyes(target.author, actor);
    // Without a time: the earliest allowed, which the database sets on its own clock (this server's would be a few milliseconds early for it).
    if (effectiveAt) checkEffectiveTime(effectiveAt, now, this.config.RELEASE_MIN_LEAD_MS);
    const ruleSet = await this.check(target.content, now);
    const created = await leadHeld(
      this.releases.create({
        revision: ruleSet.revision,
        content: target.content,
        author: target.author,
        notes: notes || `rollback to release ${target.version}`,
        rolledBackFrom: target.version,
        approval: { approver: actor, effectiveAt, leadMs: this.config.RELEASE_MIN_LEAD_MS },
      }),
    );
    return this.get(created.version, now);
  }

  /**
   * A change draft goes in force only over the rule set it was made from: the release in force
   * just before its effective time (scheduled ones included) must be its base, or putting it in
   * force would undo that release's changes, and no release may be scheduled after it (that one,
   * made without this change, would undo it). Only where releases decide
   * (RULES_SOURCE=database); with files, rules/ is the base of every draft.
   */
  private async checkBase(release: RuleReleaseEntity, effectiveAt: Date): Promise<void> {
    if (release.baseRevision === null || this.config.RULES_SOURCE !== 'database') return;
    const approved = await this.releases.approvedTimes();
    // One approved to take effect later would replace this one with content made without its change.
    const later = approved.find((r) => r.effectiveAt.getTime() > effectiveAt.getTime());
    if (later) {
      throw new ReleaseError('RELEASE.BASE_CHANGED', `release ${later.version} is to take effect after this one (${later.effectiveAt.toISOString()}) and holds no part of its change: approve it to take effect after release ${later.version}, or draft it again once that release is in force`, {
        version: release.version,
        draftedOn: release.baseRevision,
      });
    }
    const before = approved.filter((r) => r.effectiveAt.getTime() <= effectiveAt.getTime()).pop();
    const previous = before ? await this.releases.byVersion(before.version) : undefined;
    const revision = previous?.revision ?? ruleContentRevision(readRuleContent(this.config.RULES_DIR));
    if (revision === release.baseRevision) return;
    throw new ReleaseError(
      'RELEASE.BASE_CHANGED',
      `release ${release.version} was drafted on ${release.baseRevision}, but ${previous ? `release ${previous.version}` : 'rules/'} (${revision}) will be in force before it: putting it in force at that time would undo that release's changes; draft it again on the rule set in force`,
      { version: release.version, draftedOn: release.baseRevision, inForce: revision },
    );
  }

  private async check(content: RuleContent, now: Date) {
    const { departments } = readDepartmentsDocument(this.config.DEPARTMENTS_FILE);
    return checkReleaseContent(content, { rulesDir: this.config.RULES_DIR, knownDepartments: new Set(departments.map((d) => d.code)), today: chinaDate(now) });
  }

  private async find(version: unknown): Promise<RuleReleaseEntity> {
    const number = parseVersion(version);
    const release = await this.releases.byVersion(number);
    if (!release) throw new ReleaseError('RELEASE.NOT_FOUND', `no release ${number}`, { version: number });
    return release;
  }
}

/**
 * The database's refusal of an approval lead (its clock behind this server's, or a writer that
 * skipped the check) answered as the server's own: RELEASE.EFFECTIVE_TOO_SOON (422), not a 500.
 */
async function leadHeld<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ApprovalLeadViolation) {
      throw new ReleaseError('RELEASE.EFFECTIVE_TOO_SOON', 'the effective time must be at least RELEASE_MIN_LEAD_MS after the approval as the database clocks it, so every engine has the release ready', error.version === undefined ? {} : { version: error.version });
    }
    throw error;
  }
}

function inForceVersion(releases: readonly Pick<RuleReleaseEntity, 'version' | 'effectiveAt'>[] | readonly ApprovedReleaseTime[], now: Date): number | undefined {
  return releaseInForce(
    releases.filter((r) => r.effectiveAt !== null).map((r) => ({ version: r.version, effectiveAt: r.effectiveAt! })),
    now,
  )?.version;
}

/** A release's status at `now`, given which version is in force then. */
export function releaseStatus(release: Pick<RuleReleaseEntity, 'version' | 'approver' | 'effectiveAt'>, inForce: number | undefined, now: Date): ReleaseStatus {
  if (release.approver === null || release.effectiveAt === null) return 'draft';
  if (release.effectiveAt.getTime() > now.getTime()) return 'scheduled';
  return release.version === inForce ? 'in-force' : 'superseded';
}

function summaryOf(r: RuleReleaseSummaryRow, inForce: number | undefined, now: Date): ReleaseSummary {
  return {
    version: r.version,
    id: r.id,
    revision: r.revision,
    status: releaseStatus(r, inForce, now),
    author: r.author,
    approver: r.approver,
    notes: r.notes,
    createdAt: r.createdAt.toISOString(),
    approvedAt: r.approvedAt?.toISOString() ?? null,
    effectiveAt: r.effectiveAt?.toISOString() ?? null,
    rolledBackFrom: r.rolledBackFrom,
    memoranda: [...r.memoranda].sort(),
  };
}
