import { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@app/config';
import { QueryErrorLogger } from './query-error.logger';
import { DeadLetterEntity } from './entities/dead-letter.entity';
import { DecisionEntity } from './entities/decision.entity';
import { FeedbackEntity } from './entities/feedback.entity';
import { FeedRecordEntity } from './entities/feed-record.entity';
import { InboundEventEntity } from './entities/inbound-event.entity';
import { LifecycleChangeEntity } from './entities/lifecycle-change.entity';
import { ListEntryEntity } from './entities/list-entry.entity';
import { MeasureTaskEntity } from './entities/measure-task.entity';
import { MeasureTermsEntity } from './entities/measure-terms.entity';
import { QueryAuditEntity } from './entities/query-audit.entity';
import { RuleReleaseEntity } from './entities/rule-release.entity';
import { ConsoleAuditEntity } from './entities/console-audit.entity';
import { ConsoleSessionEntity } from './entities/console-session.entity';
import { ConsoleUserEntity } from './entities/console-user.entity';
import { InitialSchema1764201600000 } from './migrations/1764201600000-initial-schema';
import { Lifecycle1764288000000 } from './migrations/1764288000000-lifecycle';
import { Lz4Compression1764374400000 } from './migrations/1764374400000-lz4-compression';
import { IntakeIdentity1764460800000 } from './migrations/1764460800000-intake-identity';
import { ProvisionalDueDates1764547200000 } from './migrations/1764547200000-provisional-due-dates';
import { ValidityAndLimitation1764633600000 } from './migrations/1764633600000-validity-and-limitation';
import { LegalBasisByInstrument1764720000000 } from './migrations/1764720000000-legal-basis-by-instrument';
import { ContentHashOfEarlierEvents1764806400000 } from './migrations/1764806400000-content-hash-of-earlier-events';
import { AuditSubjects1764892800000 } from './migrations/1764892800000-audit-subjects';
import { AppRole1764979200000 } from './migrations/1764979200000-app-role';
import { QueryAuditChain1764979200001 } from './migrations/1764979200001-query-audit-chain';
import { DeadLetterPersonalData1765152000000 } from './migrations/1765152000000-dead-letter-personal-data';
import { MinimalAddressees1765238400000 } from './migrations/1765238400000-minimal-addressees';
import { IssuedRecordsRendered1765324800000 } from './migrations/1765324800000-issued-records-rendered';
import { MeasureTermsByReference1765411200000 } from './migrations/1765411200000-measure-terms-by-reference';
import { TraceContext1765497600000 } from './migrations/1765497600000-trace-context';
import { RuleReleases1765584000000 } from './migrations/1765584000000-rule-releases';
import { ConsoleUsers1765584000044 } from './migrations/1765584000044-console-users';
import { DecisionFootprintIndexes1765590000000 } from './migrations/1765590000000-decision-footprint-indexes';
import { RuleReleaseApprovalLead1765670400000 } from './migrations/1765670400000-rule-release-approval-lead';
import { RuleReleaseBase1765700300000 } from './migrations/1765700300000-rule-release-base';
import { CommitmentCorrections1765820000001 } from './migrations/1765820000001-commitment-corrections';
import { CreditClassRecomputeDue1765830000001 } from './migrations/1765830000001-credit-class-recompute-due';
import { AssociationSanctionWithdrawalIndex1765830000002 } from './migrations/1765830000002-association-sanction-withdrawal-index';
import { CommitmentCorrectedBy1765850000001 } from './migrations/1765850000001-commitment-corrected-by';
import { CreditReportIssueLimit1765860000001 } from './migrations/1765860000001-credit-report-issue-limit';
import { ExchangeOutbox1765900000001 } from './migrations/1765900000001-exchange-outbox';
import { SituationBulletin1765910000001 } from './migrations/1765910000001-situation-bulletin';
import { CoordinationCase1765920000001 } from './migrations/1765920000001-coordination-case';
import { CoordinationMinutes1765920000002 } from './migrations/1765920000002-coordination-minutes';
import { CreditClasses1765700000000 } from './migrations/1765700000000-credit-classes';
import { CreditClassEntity, CreditClassHistoryEntity } from './entities/credit-class.entity';
import { CreditCommitments1765700100000 } from './migrations/1765700100000-credit-commitments';
import { CreditReports1765810000000 } from './migrations/1765810000000-credit-reports';
import { AssociationSanctionIndex1765700200000 } from './migrations/1765700200000-association-sanction-index';
import { SupervisionSamples1765800000001 } from './migrations/1765800000001-supervision-samples';

export const ENTITIES = [InboundEventEntity, DeadLetterEntity, DecisionEntity, ListEntryEntity, MeasureTaskEntity, MeasureTermsEntity, FeedRecordEntity, LifecycleChangeEntity, FeedbackEntity, QueryAuditEntity, RuleReleaseEntity, ConsoleUserEntity, ConsoleSessionEntity, ConsoleAuditEntity, CreditClassEntity, CreditClassHistoryEntity];
export const MIGRATIONS = [
  InitialSchema1764201600000,
  Lifecycle1764288000000,
  Lz4Compression1764374400000,
  IntakeIdentity1764460800000,
  ProvisionalDueDates1764547200000,
  ValidityAndLimitation1764633600000,
  LegalBasisByInstrument1764720000000,
  ContentHashOfEarlierEvents1764806400000,
  AuditSubjects1764892800000,
  AppRole1764979200000,
  QueryAuditChain1764979200001,
  DeadLetterPersonalData1765152000000,
  MinimalAddressees1765238400000,
  IssuedRecordsRendered1765324800000,
  MeasureTermsByReference1765411200000,
  TraceContext1765497600000,
  RuleReleases1765584000000,
  ConsoleUsers1765584000044,
  DecisionFootprintIndexes1765590000000,
  RuleReleaseApprovalLead1765670400000,
  CreditClasses1765700000000,
  CreditCommitments1765700100000,
  AssociationSanctionIndex1765700200000,
  RuleReleaseBase1765700300000,
  SupervisionSamples1765800000001,
  CreditReports1765810000000,
  CommitmentCorrections1765820000001,
  CreditClassRecomputeDue1765830000001,
  AssociationSanctionWithdrawalIndex1765830000002,
  CommitmentCorrectedBy1765850000001,
  CreditReportIssueLimit1765860000001,
  ExchangeOutbox1765900000001,
  SituationBulletin1765910000001,
  CoordinationCase1765920000001,
  CoordinationMinutes1765920000002,
];

/** Schema changes go through migrations only; `synchronize` stays off everywhere. */
export function dataSourceOptions(url: string, overrides: Partial<DataSourceOptions> = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: ['error'],
    // Failed queries are logged without their parameters: those carry personal data.
    logger: new QueryErrorLogger(),
    extra: { max: 10 },
    // No CREATE EXTENSION at connect: the app role may not run DDL, and the migrations use the built-in gen_random_uuid().
    installExtensions: false,
    ...overrides,
  } as DataSourceOptions;
}

/** The limits PostgreSQL enforces on every session of an app (see DATABASE_STATEMENT_TIMEOUT_MS); node-postgres sends them at connect time, so no statement escapes them. */
export type SessionLimits = Pick<AppConfig, 'DATABASE_STATEMENT_TIMEOUT_MS' | 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS'>;

/** node-postgres' connection options for the limits (0 leaves the server's default, normally none). */
export function sessionLimitOptions(limits: SessionLimits): { statement_timeout?: number; idle_in_transaction_session_timeout?: number } {
  return {
    ...(limits.DATABASE_STATEMENT_TIMEOUT_MS > 0 ? { statement_timeout: limits.DATABASE_STATEMENT_TIMEOUT_MS } : {}),
    ...(limits.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS > 0 ? { idle_in_transaction_session_timeout: limits.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS } : {}),
  };
}

/** An app's pool: the defaults above with its session limits. Migrations connect without them (a migration may rightly take long). */
export function appDataSourceOptions(url: string, limits: SessionLimits): DataSourceOptions {
  return dataSourceOptions(url, { extra: { max: 10, ...sessionLimitOptions(limits) } });
}
