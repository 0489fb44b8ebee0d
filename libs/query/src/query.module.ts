import { Module } from '@nestjs/common';
import { CatalogueModule } from '@app/engine';
import { CreditReportRepository, EventStatusRepository, FeedbackRepository, MeasureTermsRepository, PerformanceRepository, SubjectRecordRepository, SupervisionSampleRepository } from '@app/persistence';
import { QueryAuditService } from './audit/query-audit.service';
import { CreditCheckMetrics } from './credit-check/credit-check.metrics';
import { CreditCheckService } from './credit-check/credit-check.service';
import { DeadLetterService } from './dead-letters/dead-letter.service';
import { PublicDisclosureService } from './disclosure/public-disclosure.service';
import { EventStatusService } from './event-status/event-status.service';
import { DepartmentFeedService } from './feed/department-feed.service';
import { FeedbackService } from './feedback/feedback.service';
import { CommitmentService } from './commitments/commitment.service';
import { ApplicantReviewService } from './applicant-review/applicant-review.service';
import { MeasureTermsService } from './measure-terms/measure-terms.service';
import { PerformanceService } from './performance/performance.service';
import { SupervisionPlans } from './supervision/supervision-plans';
import { SupervisionSampleService } from './supervision/supervision-sample.service';
import { CreditReportService } from './reports/credit-report.service';
import { BulletinService } from './bulletins/bulletin.service';
import { CoordinationCaseService } from './coordination/coordination-case.service';

const SERVICES = [DepartmentFeedService, FeedbackService, PerformanceService, QueryAuditService, CreditCheckMetrics, CreditCheckService, PublicDisclosureService, EventStatusService, DeadLetterService, MeasureTermsService, CommitmentService, SupervisionPlans, SupervisionSampleService, ApplicantReviewService, CreditReportService, BulletinService, CoordinationCaseService];

/** The query side: what departments, approval systems and the public read, each read audited where it returns personal data. */
@Module({
  imports: [CatalogueModule],
  providers: [...SERVICES, FeedbackRepository, PerformanceRepository, SubjectRecordRepository, EventStatusRepository, MeasureTermsRepository, SupervisionSampleRepository, CreditReportRepository],
  exports: [...SERVICES, CatalogueModule],
})
export class QueryModule {}
