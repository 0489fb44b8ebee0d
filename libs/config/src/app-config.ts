import { resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Every setting of every app, read once from the environment at start-up. Defaults work
 * on the embedded setup (`npm start`); a wrong value stops the boot naming the variable.
 */
export class AppConfig {
  /**
   * `production` makes the apps refuse to start on settings that are only safe on a developer's
   * machine (productionProblems below); `development` (the default) and `test` accept them.
   */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  /** TLS for the HTTP apps: a PEM private key and certificate chain; both or neither. */
  @IsOptional()
  @IsString()
  HTTPS_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  HTTPS_CERT_FILE?: string;

  /**
   * TLS terminated by a reverse proxy instead: Express's `trust proxy` value naming it
   * (`loopback`, an address or a subnet such as `10.0.0.0/8`), so client addresses come from it.
   */
  @IsOptional()
  @Matches(/^[\w.:/, -]+$/, { message: 'TRUSTED_PROXY must be loopback, an address or a subnet (comma-separated)' })
  TRUSTED_PROXY?: string;

  /** `postgres`: the durable inbox table is the transport (embedded mode); `kafka`: topics. */
  @IsIn(['postgres', 'kafka'])
  TRANSPORT: 'postgres' | 'kafka' = 'postgres';

  /** The apps' connection: in production the least-privilege role credit_engine_app (README "Database roles and the audit log"). */
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres:postgres@127.0.0.1:54320/credit_engine';

  /**
   * The owner of the tables, which runs migrations (`npm run db:migrate`; outside production the
   * apps also migrate at start-up, with this URL when given). Default: DATABASE_URL. In production
   * the apps never migrate and do not need it.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_MIGRATION_URL must be a postgres:// URL' })
  DATABASE_MIGRATION_URL?: string;

  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IsString()
  KAFKA_CLIENT_ID = 'credit-engine';

  @IsString()
  KAFKA_CONSUMER_GROUP = 'credit-engine';

  /** Namespaces every topic of this deployment (a district on a shared cluster, a test run). */
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'KAFKA_TOPIC_PREFIX may contain letters, digits, ., _ and - only' })
  KAFKA_TOPIC_PREFIX = '';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  KAFKA_INBOUND_PARTITIONS = 6;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  KAFKA_DECISION_PARTITIONS = 3;

  /** A crashed engine's partitions move to another after this long (the broker allows 6 s to 300 s). */
  @Transform(toInt)
  @IsInt()
  @Min(6000)
  @Max(300000)
  KAFKA_SESSION_TIMEOUT_MS = 30_000;

  /**
   * Compression of the decision records the relay publishes. `none` by default: on a
   * broker next to the engine, gzip costs more CPU than the bytes it saves; choose gzip
   * when the broker is across a slow or metered link.
   */
  @IsIn(['none', 'gzip'])
  KAFKA_COMPRESSION: 'none' | 'gzip' = 'none';

  /**
   * Inbound partitions the engine decides at once: while one batch waits on PostgreSQL,
   * another is evaluated. Order within a partition (hence per subject) is kept.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  ENGINE_CONCURRENT_PARTITIONS = 2;

  /** 1 for the single test broker; 3 on a production cluster. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  KAFKA_REPLICATION_FACTOR = 1;

  @IsString()
  RULES_DIR = resolve('rules');

  @IsString()
  DEPARTMENTS_FILE = resolve('config/departments.json');

  /** Working-day calendar (public holidays, 调休 make-up days) that SLAs and due dates count in. */
  @IsString()
  CALENDAR_FILE = resolve('config/calendar.json');

  /** How often the apps look at CALENDAR_FILE for edits; 0 turns reloading off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  CALENDAR_RELOAD_INTERVAL_MS = 5000;

  /**
   * Readiness and /metrics warn when today plus this many days reaches past the calendar's
   * coverage: 60 days leave time to enter a year once its notice (usually in November) is out.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(366)
  CALENDAR_HORIZON_DAYS = 60;

  /** A department publishes on time when the engine receives the event within this many working days of its decision date. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  PUBLICATION_DEADLINE_WORKING_DAYS = 7;

  /** Interface the HTTP apps bind; 0.0.0.0 in containers. */
  @IsString()
  HTTP_HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  INGEST_PORT = 3001;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  QUERY_PORT = 3002;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  ENGINE_PORT = 3003;

  /**
   * Events decided and stored per database transaction. 250 measured best on 2 cores
   * (vs 500: same throughput within noise, ≈ 90 MB lower peak RSS with two partitions at once).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  ENGINE_BATCH_SIZE = 250;

  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(60000)
  ENGINE_POLL_INTERVAL_MS = 200;

  /** How often the engine runs expiry and escalation; 0 turns the scheduler off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  LIFECYCLE_INTERVAL_MS = 60_000;

  /** How often the engine looks at rules/ for edits; 0 turns reloading off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RULES_RELOAD_INTERVAL_MS = 2000;

  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /** Approval items (审批事项) and the measure codes each credit check looks at; validated against the rules at start-up. */
  @IsString()
  APPROVAL_ITEMS_FILE = resolve('config/approval-items.json');

  /**
   * How long the query audit log is kept; at least five years (1826 days) in production. The
   * database itself never purges a row younger than 1826 days (purge_query_audit), so a shorter
   * value, allowed outside production, purges at 1826 days.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUDIT_RETENTION_DAYS = 1826;

  /** Leave natural persons out of the public list disclosure (provinces that do not publish them). */
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  PUBLIC_HIDE_NATURAL_PERSONS = false;

  @IsOptional()
  @IsString()
  PUBLIC_BASE_URL?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Build the frozen configuration from an environment; throws ConfigError naming each bad variable. */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AppConfig> {
  const known = Object.keys(new AppConfig());
  const picked = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''));
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config);
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => `${e.property}=${JSON.stringify(env[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`));
  }
  const problems = [...tlsProblems(config), ...(config.NODE_ENV === 'production' ? productionProblems(config) : [])];
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** The embedded database's password (`npm start`): never a production credential. */
const DEVELOPMENT_DATABASE_PASSWORD = 'postgres';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);
/** Query logs are kept at least five years (DOMAIN §6, Shenzhen art. 45). */
export const MINIMUM_AUDIT_RETENTION_DAYS = 1826;

function tlsProblems(config: AppConfig): string[] {
  return (config.HTTPS_KEY_FILE === undefined) === (config.HTTPS_CERT_FILE === undefined) ? [] : ['HTTPS_KEY_FILE and HTTPS_CERT_FILE: give both (TLS) or neither'];
}

/** Why a configuration may not run in production, one line per variable. */
export function productionProblems(config: AppConfig): string[] {
  const problems: string[] = [];
  if (passwordOf(config.DATABASE_URL) === DEVELOPMENT_DATABASE_PASSWORD) problems.push('DATABASE_URL: the development database password may not be used in production');
  if (config.DATABASE_MIGRATION_URL !== undefined && passwordOf(config.DATABASE_MIGRATION_URL) === DEVELOPMENT_DATABASE_PASSWORD) {
    problems.push('DATABASE_MIGRATION_URL: the development database password may not be used in production');
  }
  if (config.AUDIT_RETENTION_DAYS < MINIMUM_AUDIT_RETENTION_DAYS) {
    problems.push(`AUDIT_RETENTION_DAYS=${config.AUDIT_RETENTION_DAYS}: query logs are kept at least ${MINIMUM_AUDIT_RETENTION_DAYS} days (five years) in production`);
  }
  if (!LOOPBACK_HOSTS.has(config.HTTP_HOST) && config.HTTPS_KEY_FILE === undefined && config.TRUSTED_PROXY === undefined) {
    problems.push(`HTTP_HOST=${config.HTTP_HOST}: a public address needs TLS (HTTPS_KEY_FILE, HTTPS_CERT_FILE) or the proxy that terminates it (TRUSTED_PROXY)`);
  }
  return problems;
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return ''; // validated as a postgres:// URL already; an unparsable one has no password to judge
  }
}
