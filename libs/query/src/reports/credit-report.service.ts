import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { chinaDate, Clock, Department } from '@app/domain';
import { CatalogueService, CLOCK, CreditClassCatalogue } from '@app/engine';
import {
  CommitmentRepository,
  CreditClassRepository,
  CreditReportRepository,
  LifecycleRepository,
  ReportScope,
  scopeDepartment,
  SubjectRecordRepository,
  subjectKeyOf,
} from '@app/persistence';
import { AUDITED_ENDPOINTS, normaliseUserId, QueryAuditService } from '../audit/query-audit.service';
import { subjectsNamedIn } from '../audit/subjects-named';
import { BURST_WINDOW_SECONDS, parseSubjectIdentifier, PERSON_READ_ENDPOINTS } from '../credit-check/credit-check.service';
import { buildCreditReport, contentSha256, CreditReport, ReportCatalogue, ReportFacts, REPORT_USES, ReportUse } from './credit-report.model';
import { parseReportRequest } from './credit-report.request';
import { CreditReportError } from './credit-report.errors';
import { renderReportHtml } from './credit-report.html';
import { OUTLINE_VOCABULARY, outlineText, reportOutline } from './credit-report.outline';
import { renderReportPdf } from './credit-report.pdf';
import { sampleCreditReport } from './credit-report.sample';
import { formatReportNumber, hashVerificationCode, isReportNumber, newVerificationCode, sha256Hex } from './report-identifiers';
import { ReportCodeCheck } from './report-code-check';
import { VerificationGate } from './verification-gate';
import { codePointsOf, loadReportFont, ReportFont } from './report-font';
import { publicReportSubject, PublicReportSubject } from './report-masking';
import { reportContentSummary, ReportContentSummary } from './report-content-summary';

export const REPORT_FORMATS = { pdf: 'application/pdf', html: 'text/html; charset=utf-8' } as const;
export type ReportFormat = keyof typeof REPORT_FORMATS;

/** What the issuing department gets back: the only time the verification code is shown. */
export interface IssuedReport {
  number: string;
  /** Give it with the report to whoever verifies it; it is stored only as a hash and cannot be shown again. */
  verificationCode: string;
  issuedAt: string;
  asOf: string;
  use: { code: ReportUse; name: { zh: string; en: string } };
  subject: CreditReport['subject'];
  contentSha256: string;
  pdf: { sha256: string; href: string };
  html: { sha256: string; href: string };
  verifyUrl: string;
}

/** A verified report, as anyone with its number and code may see it. */
export interface VerifiedReport {
  valid: true;
  number: string;
  issuedAt: string;
  issuedOn: string;
  use: { code: string; name: { zh: string; en: string } | null };
  issuingDepartment: { code: string; name: { zh: string; en: string } | null };
  subject: PublicReportSubject | null;
  contentSha256: string;
  /** To compare with a paper or re-saved copy, whose bytes the hashes cannot check. */
  content: ReportContentSummary;
  pdfSha256: string;
  htmlSha256: string;
}

export interface ReportDocument {
  number: string;
  contentType: (typeof REPORT_FORMATS)[ReportFormat];
  sha256: string;
  body: Buffer;
}

/**
 * Credit reports (信用报告) for procurement, tendering and major projects: issued to a
 * government department with a stated purpose (and, for a natural person, the clerk), audited,
 * stored as issued, and verifiable by anyone holding the number and the verification code.
 */
@Injectable()
export class CreditReportService {
  private readonly logger = new Logger(CreditReportService.name);
  private readonly font: ReportFont;
  private readonly catalogueView: ReportCatalogue;
  private readonly codeCheck: ReportCodeCheck;

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly classModels: CreditClassCatalogue,
    private readonly reports: CreditReportRepository,
    private readonly records: SubjectRecordRepository,
    private readonly commitments: CommitmentRepository,
    private readonly classes: CreditClassRepository,
    private readonly lifecycle: LifecycleRepository,
    private readonly audit: QueryAuditService,
    private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // At start-up: a font that cannot draw the report's own labels stops the boot (REPORT.BAD_FONT).
    this.font = loadReportFont(config.REPORT_FONT_FILE, config.REPORT_FONT_FACE, outlineText(reportOutline(sampleCreditReport())) + OUTLINE_VOCABULARY);
    this.codeCheck = new ReportCodeCheck(reports, new VerificationGate(config.REPORT_VERIFY_CONCURRENCY));
    const departments = catalogue.departments;
    this.catalogueView = {
      departmentName: (code) => (departments.has(code) ? departments.get(code).name : null),
      list: (code) => catalogue.rules.ruleSet.list(code),
      memorandum: (id) => catalogue.rules.ruleSet.memorandum(id),
      classModels: classModels.models,
      sanctionPublicity: (code) => departments.sanctionPublicityMonths(code),
    };
  }

  async issue(department: Department, body: unknown, rawUserId: string | undefined): Promise<IssuedReport> {
    const request = parseReportRequest(body);
    const userId = normaliseUserId(rawUserId);
    const now = this.clock.now();
    const today = chinaDate(now);
    const subject = parseSubjectIdentifier(request.subject, request.idType, now);
    if (subject.idType === 'RESIDENT_ID' && userId === null) {
      throw new CreditReportError('REPORT.USER_ID_REQUIRED', "a natural person's credit report needs the X-User-Id header: the account of the clerk who asks for it", { missing: ['X-User-Id'] });
    }
    const key = { idType: subject.idType, id: subject.value };
    const naturalPerson = subject.idType === 'RESIDENT_ID';
    await this.refuseOverIssueLimit(department.code, now);
    if (naturalPerson) await this.refuseBurst(department.code, userId!, now, key.id);
    // A natural person's report shows only what the caller holds, as the credit check's `caller` scope (PIPL 最小必要):
    // its own measures and the entries and penalties behind them, its commitments, its class models, no association's sanctions.
    const scope: ReportScope = naturalPerson ? { of: 'caller', department: department.code } : { of: 'platform' };
    const facts = await this.reports.snapshot(async (manager): Promise<ReportFacts> => {
      const entries = await this.records.entriesInForce(manager, key, today, scope);
      const measures = await this.records.measuresInForce(manager, key, today, scope);
      const penalties = await this.records.penaltiesInPublicity(manager, key, today, scope);
      // An objection or repair is shown only beside the record it concerns: none of a record no longer published.
      const shown = {
        listCodes: [...new Set(entries.map((e) => e.listCode))],
        penaltyDocumentNumbers: penalties.map((p) => p.documentNumber),
        decisionIds: [...new Set([...entries.map((e) => e.decisionId), ...measures.map((m) => m.decisionId), ...penalties.map((p) => p.decisionId)])],
      };
      return {
        identity: await this.records.identityOf(manager, key, scope),
        classes: await this.classes.classesOf(key, manager),
        entries,
        measures,
        penalties,
        commitments: await this.commitments.ofSubject(manager, key, today, scopeDepartment(scope)),
        sanctions: naturalPerson ? [] : ((await this.classes.sanctions(manager, [key], today)).get(subjectKeyOf(key)) ?? []),
        objectionsAndRepairs: await this.lifecycle.objectionsAndRepairs(manager, key, today, shown),
      };
    });
    const number = formatReportNumber(today, await this.reports.nextNumber());
    const header = { number, issuedAt: now, asOf: today, use: request.use, purpose: request.purpose, department: department.code, subject: key, verifyUrl: this.config.REPORT_VERIFY_URL };
    const catalogue = naturalPerson ? { ...this.catalogueView, classModels: this.catalogueView.classModels.filter((m) => m.owner === department.code) } : this.catalogueView;
    const report = buildCreditReport(header, facts, catalogue);
    const contentHash = contentSha256(report);
    const outline = reportOutline(report, contentHash);
    this.warnOfMissingGlyphs(number, outlineText(outline));
    const html = Buffer.from(renderReportHtml(outline, number), 'utf8');
    const pdf = await renderReportPdf(outline, { number, issuedAt: now }, this.font);
    const code = newVerificationCode();
    const row = await this.reports.issue(
      {
        number,
        issuedAt: now,
        asOf: today,
        department: department.code,
        userId,
        purpose: request.purpose,
        use: request.use,
        subjectIdType: key.idType,
        subjectId: key.id,
        subjectKind: report.subject.kind,
        subjectName: report.subject.name,
        codeHash: await hashVerificationCode(code),
        model: report,
        pdf,
        html,
        pdfSha256: sha256Hex(pdf),
        htmlSha256: sha256Hex(html),
      },
      {
        at: now,
        department: department.code,
        userId,
        purpose: request.purpose,
        approvalItem: request.use,
        subjectId: key.id,
        subjectIdType: key.idType,
        subjects: subjectsNamedIn(report),
        endpoint: AUDITED_ENDPOINTS.reportIssue,
        resultCount: itemCount(report),
      },
    );
    const href = `/v1/reports/${number}`;
    return {
      number,
      verificationCode: code,
      issuedAt: row.issuedAt,
      asOf: row.asOf,
      use: report.use,
      subject: report.subject,
      contentSha256: contentHash,
      pdf: { sha256: row.pdfSha256, href: `${href}.pdf` },
      html: { sha256: row.htmlSha256, href: `${href}.html` },
      verifyUrl: report.verification.url,
    };
  }

  /** The issued PDF or HTML, to the issuing department only (a natural person's with the clerk); each read is audited, under the report's purpose, before it is sent. */
  async document(department: Department, number: string, format: ReportFormat, rawUserId: string | undefined): Promise<ReportDocument> {
    const userId = normaliseUserId(rawUserId);
    const row = isReportNumber(number) ? await this.reports.find(number) : undefined;
    // Another department's report answers as an unknown one: a number tells nothing about whether it was issued.
    if (!row || row.department !== department.code) throw notFound(number);
    // A natural person's report is read by a named clerk, as it was issued to one (every read of personal data is attributable).
    if (row.subjectIdType === 'RESIDENT_ID' && userId === null) {
      throw new CreditReportError('REPORT.USER_ID_REQUIRED', "a natural person's credit report is read only with the X-User-Id header: the account of the clerk who reads it", { missing: ['X-User-Id'] });
    }
    await this.audit.record({
      department: department.code,
      userId,
      // The purpose the report was issued for: the read serves it (the number is in the endpoint's subject rows and the report itself).
      purpose: row.purpose,
      approvalItem: row.use,
      subjectId: row.subjectId,
      subjectIdType: row.subjectIdType,
      subjects: subjectsNamedIn(row.model),
      endpoint: format === 'pdf' ? AUDITED_ENDPOINTS.reportPdf : AUDITED_ENDPOINTS.reportHtml,
      resultCount: 1,
    });
    const body = format === 'pdf' ? row.pdf : row.html;
    return { number, contentType: REPORT_FORMATS[format], sha256: format === 'pdf' ? row.pdfSha256 : row.htmlSha256, body };
  }

  /**
   * Whether `number` and `code` name a report issued here (ReportCodeCheck: a malformed number or
   * code is refused before any read, an unknown number and a wrong code after the same scrypt
   * work). Only then is the report itself read. Every refusal is REPORT.NOT_VERIFIED.
   */
  async verify(number: string, code: string | undefined): Promise<VerifiedReport> {
    if (!(await this.codeCheck.matches(number, code))) throw notVerified();
    const row = await this.reports.findSummary(number);
    if (!row) throw notVerified();
    const model = row.model as CreditReport;
    const departments = this.catalogue.departments;
    return {
      valid: true,
      number: row.number,
      issuedAt: row.issuedAt,
      issuedOn: model.asOf,
      use: { code: row.use, name: REPORT_USES[row.use as ReportUse] ?? null },
      issuingDepartment: { code: row.department, name: departments.has(row.department) ? departments.get(row.department).name : null },
      subject: publicReportSubject({ idType: row.subjectIdType, id: row.subjectId, kind: row.subjectKind, name: row.subjectName }, this.config.PUBLIC_HIDE_NATURAL_PERSONS),
      contentSha256: contentSha256(model),
      content: reportContentSummary(model),
      pdfSha256: row.pdfSha256,
      htmlSha256: row.htmlSha256,
    };
  }

  /**
   * Rendering runs synchronously on the event loop (pdfkit, 0.3–1 s a report), so one department's
   * issues are bounded (REPORT_ISSUES_PER_MINUTE, counted over credit_report across processes);
   * rendering in a worker thread would lift that cost off the loop and is not done.
   */
  private async refuseOverIssueLimit(department: string, now: Date): Promise<void> {
    const limit = this.config.REPORT_ISSUES_PER_MINUTE;
    const recent = await this.reports.recentIssues(department, now);
    if (recent < limit) return;
    this.logger.warn(`credit report refused: ${department} was already issued ${recent} reports in the last minute`);
    throw new CreditReportError('REPORT.ISSUE_LIMITED', `more than ${limit} credit reports for one department within ${BURST_WINDOW_SECONDS} seconds; the report was refused`, {
      limit,
      windowSeconds: BURST_WINDOW_SECONDS,
      retryAfterSeconds: BURST_WINDOW_SECONDS,
    });
  }

  /**
   * A report on a natural person counts with the user's checks and applicant reviews towards one
   * burst limit (CHECK_DISTINCT_PERSONS_PER_MINUTE over PERSON_READ_ENDPOINTS), and reports alone
   * are held to the tighter REPORT_DISTINCT_PERSONS_PER_MINUTE: each is rendered and stored for years.
   */
  private async refuseBurst(department: string, userId: string, now: Date, subjectId: string): Promise<void> {
    const recent = await this.reports.recentPersonReads(department, userId, now, subjectId, PERSON_READ_ENDPOINTS, AUDITED_ENDPOINTS.reportIssue);
    const refusal =
      recent.reads >= this.config.CHECK_DISTINCT_PERSONS_PER_MINUTE
        ? { limit: this.config.CHECK_DISTINCT_PERSONS_PER_MINUTE, counted: recent.reads, what: "natural persons' checks, reviews and reports" }
        : recent.reports >= this.config.REPORT_DISTINCT_PERSONS_PER_MINUTE
          ? { limit: this.config.REPORT_DISTINCT_PERSONS_PER_MINUTE, counted: recent.reports, what: "natural persons' reports" }
          : null;
    if (refusal === null) return;
    // Neither the user nor the person: the department's query_audit rows name them.
    this.logger.warn(`credit report refused: a user of ${department} already had ${refusal.what} on ${refusal.counted} other natural persons in the last minute`);
    throw new CreditReportError('REPORT.BURST_REFUSED', `more than ${refusal.limit} distinct ${refusal.what} for one user within ${BURST_WINDOW_SECONDS} seconds; the report was refused`, {
      limit: refusal.limit,
      windowSeconds: BURST_WINDOW_SECONDS,
      retryAfterSeconds: BURST_WINDOW_SECONDS,
    });
  }

  /** A subject's name may hold a character the font lacks (drawn as a box): counted in the log, never the name itself. */
  private warnOfMissingGlyphs(number: string, text: string): void {
    const missing = codePointsOf(text).filter((cp) => !this.font.hasGlyph(cp));
    if (missing.length > 0) this.logger.warn(`credit report ${number}: ${missing.length} characters without a glyph in ${this.font.face}`);
  }
}

function itemCount(report: CreditReport): number {
  return (
    report.listMemberships.length + report.commendations.length + report.measures.length + report.penalties.length + report.commitments.items.length +
    report.selfDiscipline.sanctions.length + report.objectionsAndRepairs.length
  );
}

function notFound(number: string): CreditReportError {
  return new CreditReportError('REPORT.NOT_FOUND', 'no report of yours has this number', { number: number.slice(0, 40) });
}

function notVerified(): CreditReportError {
  return new CreditReportError('REPORT.NOT_VERIFIED', 'no report has this number and verification code');
}

