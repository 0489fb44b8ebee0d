import { resolve } from 'node:path';
import { plainToInstance, Transform } from 'class-transformer';
import { kafkaProductionProblems, kafkaSettingProblems } from './kafka-credentials';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { holdsDevelopmentKey, readDeadLetterKeyring } from './dead-letter-keys';
import { applyEnvFile } from './env-file';
import { describeUnknownSetting, unknownSettings } from './unknown-settings';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const KAFKA_SASL_MECHANISMS = ['none', 'scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export const HTTP_PLATFORMS = ['fastify', 'express'] as const;
export type HttpPlatform = (typeof HTTP_PLATFORMS)[number];

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

  /** The certificate chain (PEM) for HTTPS_KEY_FILE. */
  @IsOptional()
  @IsString()
  HTTPS_CERT_FILE?: string;

  /**
   * TLS terminated by a reverse proxy instead: the proxy-addr value naming it (Express's `trust proxy`,
   * Fastify's `trustProxy`: `loopback`, an address or a subnet such as `10.0.0.0/8`), so client addresses come from it.
   */
  @IsOptional()
  @Matches(/^[\w.:/, -]+$/, { message: 'TRUSTED_PROXY must be loopback, an address or a subnet (comma-separated)' })
  TRUSTED_PROXY?: string;

  /**
   * SHA-256 (hex) of the management token, comma-separated to rotate: /metrics and /docs then
   * answer only `Authorization: Bearer <token>` (a browser may give it as a Basic password).
   * Required in production; unset elsewhere, they are open.
   */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}(,[0-9a-f]{64})*$/, { message: 'MANAGEMENT_TOKEN_SHA256 must be the SHA-256 of the management token, 64 lowercase hex characters (comma-separated to rotate)' })
  MANAGEMENT_TOKEN_SHA256?: string;

  /**
   * HTTP requests per minute per department, over all its routes. 600,000 (10,000/s) is twice the
   * credit-check goal from one department (≥ 5,000 rps) and ≈ 6× what one query API serves on
   * 2 cores, so only a runaway or stolen client meets it; a department may have its own
   * (`rateLimitPerMinute` in DEPARTMENTS_FILE).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_DEPARTMENT_PER_MINUTE = 600_000;

  /** HTTP requests per minute per client address without a department token (public lists, probes of closed routes). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_ADDRESS_PER_MINUTE = 6000;

  /**
   * Credit report verifications (the open GET /v1/public/reports/{number}) per minute per client
   * address, beside RATE_LIMIT_ADDRESS_PER_MINUTE: each runs scrypt (≈ 50 ms of CPU), so 20 is more
   * than a person checks by hand and far less than one address would need to load the CPU.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  REPORT_VERIFY_PER_MINUTE = 20;

  /**
   * Verification-code comparisons (scrypt, N=16384) run at once in one query-API process; one more
   * is refused with 503 REPORT.VERIFICATION_BUSY and Retry-After. Two keep one of the two cores free
   * for departments' requests whatever the open route receives.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  REPORT_VERIFY_CONCURRENCY = 2;

  /** Wrong bearer tokens one address may present before it waits: 1 s, then twice as long each time, up to AUTH_BACKOFF_MAX_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTH_FAILURES_BEFORE_BACKOFF = 10;

  /** The longest wait after failed authentications; an address quiet this long starts afresh. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTH_BACKOFF_MAX_SECONDS = 900;

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

  /**
   * The longest one statement of the apps may run (PostgreSQL statement_timeout, set on each of
   * their connections; 0: none). Their statements are a slice's writes, a page, a lifecycle tick
   * (seconds at most); a stuck one (a lock wait, a runaway plan) would hold its slice or request
   * forever, so it is cancelled and retried as a transient failure. Migrations are not limited.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DATABASE_STATEMENT_TIMEOUT_MS = 60_000;

  /**
   * How long an app's transaction may sit idle before PostgreSQL ends its session
   * (idle_in_transaction_session_timeout; 0: never). The apps never wait on anything else inside a
   * transaction, so an idle one is a hung process whose locks would block every other engine.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

  /** Bootstrap brokers, `host:port` comma-separated (TRANSPORT=kafka). */
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  /**
   * How the apps authenticate to the brokers. The project's own broker (scripts/kafka.sh) takes
   * SCRAM-SHA-512 over TLS only; `none` is for an unsecured broker and is refused in production.
   */
  @IsIn(KAFKA_SASL_MECHANISMS)
  KAFKA_SASL_MECHANISM: KafkaSaslMechanism = 'scram-sha-512';

  /**
   * The principal of this app's role (ingest: `credit-ingest`, engine consumer: `credit-engine`;
   * see SERVICE_PRINCIPALS). Unset: the role's own principal with its development password.
   */
  @IsOptional()
  @Matches(/^[\w.@-]+$/, { message: 'KAFKA_USERNAME may contain letters, digits, _, ., @ and - only' })
  KAFKA_USERNAME?: string;

  /** KAFKA_USERNAME's password (or KAFKA_PASSWORD_FILE); unset with the role's own principal: its development password, which production refuses. */
  @IsOptional()
  @IsString()
  KAFKA_PASSWORD?: string;

  /** A file holding the password (a mounted secret); wins over KAFKA_PASSWORD. */
  @IsOptional()
  @IsString()
  KAFKA_PASSWORD_FILE?: string;

  /**
   * The engine process also runs the outbox relay, which publishes as its own principal
   * (`credit-relay`: the only one that writes decision topics and holds the transactional id).
   */
  @IsOptional()
  @Matches(/^[\w.@-]+$/, { message: 'KAFKA_RELAY_USERNAME may contain letters, digits, _, ., @ and - only' })
  KAFKA_RELAY_USERNAME?: string;

  /** KAFKA_RELAY_USERNAME's password (or KAFKA_RELAY_PASSWORD_FILE), as KAFKA_PASSWORD. */
  @IsOptional()
  @IsString()
  KAFKA_RELAY_PASSWORD?: string;

  /** A file holding KAFKA_RELAY_PASSWORD (a mounted secret), read at start-up. */
  @IsOptional()
  @IsString()
  KAFKA_RELAY_PASSWORD_FILE?: string;

  /** TLS to the brokers. Off only together with KAFKA_SASL_MECHANISM=none on an unsecured broker; refused in production. */
  @Transform(toBoolean)
  @IsBoolean()
  KAFKA_SSL = true;

  /**
   * PEM file of the CA that signed the brokers' certificates; `system` trusts Node's built-in CAs.
   * The default is the local CA scripts/kafka.sh generates on its first start.
   */
  @IsString()
  KAFKA_SSL_CA = resolve('.cache/kafka/tls/ca.pem');

  /** A client certificate and key (PEM files) when the brokers ask for one (ssl.client.auth); both or neither. */
  @IsOptional()
  @IsString()
  KAFKA_SSL_CERT?: string;

  /** The private key (PEM file) of KAFKA_SSL_CERT. */
  @IsOptional()
  @IsString()
  KAFKA_SSL_KEY?: string;

  /**
   * Class path of the Kafka distribution's jars, for the one admin step kafkajs cannot do
   * (creating SCRAM users, in `npm run kafka:department`). The default is scripts/kafka.sh's
   * cache of the version pinned in scripts/kafka/pom.xml; `/opt/kafka/libs/*` in Kafka's image.
   */
  @IsString()
  KAFKA_TOOLS_CLASSPATH = resolve('.cache/kafka/3.9.1/libs/*');

  /** Kafka client id prefix; each client adds its role (`credit-engine-consumer`, `-relay`…), so the broker's logs and quotas tell them apart. */
  @IsString()
  KAFKA_CLIENT_ID = 'credit-engine';

  /** The engines' consumer group: engines in one group share the inbound partitions. */
  @IsString()
  KAFKA_CONSUMER_GROUP = 'credit-engine';

  /** Namespaces every topic of this deployment (a district on a shared cluster, a test run). */
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'KAFKA_TOPIC_PREFIX may contain letters, digits, ., _ and - only' })
  KAFKA_TOPIC_PREFIX = '';

  /** Partitions of each department's inbound topic when the engine creates it (keyed by subject: one subject's events stay in order). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  KAFKA_INBOUND_PARTITIONS = 6;

  /** Partitions of each department's decision topic when the relay creates it. */
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
   * Inbound partitions the engine takes batches from at once (order within a partition, hence
   * per subject, is kept). Their slices share transactions (ENGINE_TRANSACTIONS_IN_FLIGHT at a
   * time) and offset commits, so a high figure costs no more transactions: it lets every
   * partition of a fetch be decided together instead of a few at a time, each waiting its turn.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1024)
  ENGINE_CONCURRENT_PARTITIONS = 64;

  /**
   * Kafka mode: decide-and-store transactions run at once. While one waits on PostgreSQL the
   * next is evaluated; what arrives meanwhile from other partitions joins the next one (up to
   * ENGINE_BATCH_SIZE messages). When a shared one fails, each of its slices retries alone, so
   * only a failing slice spends its retries.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(16)
  ENGINE_TRANSACTIONS_IN_FLIGHT = 2;

  /** 1 for the single test broker; 3 on a production cluster. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  KAFKA_REPLICATION_FACTOR = 1;

  /** The memoranda (one JSON file each), their rule cases and the instrument catalogue. */
  @IsString()
  RULES_DIR = resolve('rules');

  /** The departments registry: who publishes what, tokens' SHA-256, rate limits (reloaded while running). */
  @IsString()
  DEPARTMENTS_FILE = resolve('config/departments.json');

  /** How often the apps look at DEPARTMENTS_FILE for edits (a rotated or revoked token); 0 turns reloading off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  DEPARTMENTS_RELOAD_INTERVAL_MS = 2000;

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

  /**
   * The server under Nest in the HTTP apps. Fastify (the default) routes and writes answers with
   * less work a request; Express stays runnable, as the credit-check bench's baseline. Both answer
   * alike: the e2e suite holds on either.
   */
  @IsIn(HTTP_PLATFORMS)
  HTTP_PLATFORM: HttpPlatform = 'fastify';

  /** Port of the ingest API (POST /v1/events); 0 picks a free one. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  INGEST_PORT = 3001;

  /** Port of the query API (feeds, checks, tasks, audit); 0 picks a free one. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  QUERY_PORT = 3002;

  /** Port of the policy console (the web app policy staff and the credit office sign in to); 0 picks a free one. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  CONSOLE_PORT = 3004;

  /** Hours a console sign-in lasts (a working day); signing out ends it sooner. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24)
  CONSOLE_SESSION_HOURS = 8;

  /** Port of the decision engine's /health and /metrics; 0 picks a free one. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  ENGINE_PORT = 3003;

  /**
   * Which situation bulletins the query API issues by itself once their period has ended
   * (issued by "schedule"); the credit office issues any ended period on demand whatever this says.
   */
  @IsIn(['off', 'monthly', 'quarterly', 'monthly+quarterly'])
  BULLETIN_SCHEDULE: 'off' | 'monthly' | 'quarterly' | 'monthly+quarterly' = 'off';

  /** What situation bulletins (情况通报) are numbered with: `<prefix>〔<year>〕<n>号`. */
  @IsString()
  @Matches(/^[\p{Script=Han}A-Za-z]{1,12}$/u)
  BULLETIN_NUMBER_PREFIX = '利信通';

  /** Port of the exchange bridge's /health (issue 16); 0 picks a free one. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  EXCHANGE_BRIDGE_PORT = 3005;

  /**
   * Events decided and stored per database transaction. 250 measured best on 2 cores
   * (vs 500: same throughput within noise, ≈ 90 MB lower peak RSS with two partitions at once).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  ENGINE_BATCH_SIZE = 250;

  /**
   * How far V8 lets the decision engine's heap grow past what survived its last full collection
   * before the next one (V8's --heap-growing-percent): 50 collects at 1.5× the live heap. Left to
   * itself (0) V8 grows up to 4× when memory is plentiful: the engine's live heap is ≈ 60 MB but
   * its old space reached ≈ 220 MB of garbage and the process ≈ 400 MB (bench, 5,000 events);
   * at 50 it peaked at 266–309 MB on 5,000 events and ≈ 349 MB on 30,000, at the same throughput
   * within this machine's noise. Not a limit: the heap still grows as far as the live data needs.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(400)
  ENGINE_HEAP_GROWING_PERCENT = 50;

  /** How often the embedded engine (TRANSPORT=postgres) looks for new events in the inbox table when it found none. */
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

  /** How often the engine looks at rules/ for edits, and with RULES_SOURCE=database for newly approved releases; 0 turns file reloading off (releases are then polled every second). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RULES_RELOAD_INTERVAL_MS = 2000;

  /**
   * Where the rule set in force comes from: `files` (rules/, hot-reloaded: development and the
   * embedded setup) or `database` (the approved releases, each from its effective time; rules/
   * only until the first release is approved). README "Releases".
   */
  @IsIn(['files', 'database'])
  RULES_SOURCE: 'files' | 'database' = 'files';

  /**
   * How far ahead of its approval a release may take effect at the earliest: every engine has compiled it by then (keep it several RULES_RELOAD_INTERVAL_MS); an engine that has not read the releases for this long holds its batches. Give every app the same value.
   * Recorded with each approval and held by the database on its own clock; at least 1000, the database's floor (RELEASE_LEAD_FLOOR_MS).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  RELEASE_MIN_LEAD_MS = 10_000;

  /** The least severe log level written. */
  @IsIn(['fatal', 'error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /**
   * `json`: one JSON object a line (time in UTC, level, app, message, request id and trace id),
   * for a log collector. `pretty`: the same lines coloured and aligned, for reading in a terminal.
   */
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: LogFormat = 'json';

  /** Approval items (审批事项) and the measure codes each credit check looks at; validated against the rules at start-up. */
  @IsString()
  APPROVAL_ITEMS_FILE = resolve('config/approval-items.json');

  /** Differentiated supervision plans (信用分类监管): per department and credit class model, the spot-check frequency and each class's inspection ratio; checked against the registry and rules/classes at start-up. */
  @IsString()
  SUPERVISION_FILE = resolve('config/supervision.json');

  /** Major dishonesty events (重大失信事件) that open a coordination case (工作协调会): json-rules-engine criteria, the agenda, the meeting and due dates in working days; checked at start-up. */
  @IsString()
  COORDINATION_FILE = resolve('config/coordination.json');

  /** City ↔ district exchange links (市区失信信息互通): this deployment's code and, per peer, what goes there by memorandum and how its bridge reads what comes from there; checked against the registry at start-up. Unset: nothing is exchanged. */
  @IsOptional()
  @IsString()
  EXCHANGE_FILE?: string;

  /**
   * How long the query audit log is kept; at least five years (1826 days) in production. The
   * database itself never purges a row younger than 1826 days (purge_query_audit), so a shorter
   * value, allowed outside production, purges at 1826 days.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUDIT_RETENTION_DAYS = 1826;

  /**
   * Distinct natural persons one user of a department may read in a minute by credit checks,
   * applicant reviews and credit reports together; the next check is refused (CHECK.BURST_REFUSED)
   * and counted in credit_check_bursts_refused_total, the next report REPORT.BURST_REFUSED.
   * 30 is one every two seconds, sustained: more than a clerk at an approval desk checks by hand,
   * far less than a script walking consecutive resident IDs.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  CHECK_DISTINCT_PERSONS_PER_MINUTE = 30;

  /**
   * Days after an automatic breach (a commitment not reported kept by its date) during which its
   * department may correct it (POST /v1/commitments/{id}/correction): kept in time, reported late.
   * The correction withdraws the breach decision through the removal path. 30 covers a month-end
   * report cycle; 0 turns corrections off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(365)
  COMMITMENT_CORRECTION_DAYS = 30;

  /**
   * The font credit reports' PDFs are drawn with: a TrueType/OpenType file or collection with the
   * Chinese glyphs the report uses (checked at start-up). Debian's fonts-noto-cjk by default,
   * which scripts/install-browser.sh installs.
   */
  @IsString()
  REPORT_FONT_FILE = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

  /** The face in REPORT_FONT_FILE, by its PostScript name (a collection holds several; the Simplified Chinese one by default). */
  @Matches(/^[A-Za-z0-9-]{1,63}$/, { message: 'REPORT_FONT_FACE must be a PostScript font name such as NotoSansCJKsc-Regular' })
  REPORT_FONT_FACE = 'NotoSansCJKsc-Regular';

  /**
   * The public address a credit report names for its verification (GET /v1/public/reports/{number}
   * under it): printed on every report, so set it to the address third parties reach.
   */
  @Matches(/^https?:\/\/[^\s?#]+[^/\s?#]$/, { message: 'REPORT_VERIFY_URL must be an http(s) URL without query or trailing slash' })
  REPORT_VERIFY_URL = 'http://localhost:3002/v1/public/reports';

  /**
   * Credit reports on distinct natural persons one user of a department may be issued in a minute;
   * the next is refused (REPORT.BURST_REFUSED). Reports also count, with checks and applicant
   * reviews, towards CHECK_DISTINCT_PERSONS_PER_MINUTE; this tighter limit stays because each report
   * is rendered and stored for years: 10 is more than a clerk asks for by hand for a tender's
   * applicants, far less than a script walking resident IDs.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  REPORT_DISTINCT_PERSONS_PER_MINUTE = 10;

  /**
   * Credit reports one department may be issued in a minute, on any subject; the next is refused
   * (REPORT.ISSUE_LIMITED, 429). Rendering a report's PDF (pdfkit, 0.3–1 s) runs on the query API's
   * event loop and holds every other request meanwhile: 20 a minute keeps one department to a third
   * of a core at most, and is more than a procurement office issues by hand.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10000)
  REPORT_ISSUES_PER_MINUTE = 20;

  /** Leave natural persons out of the public list disclosure (provinces that do not publish them). */
  @Transform(toBoolean)
  @IsBoolean()
  PUBLIC_HIDE_NATURAL_PERSONS = false;

  /**
   * Keys that seal the body of each dead letter (AES-256-GCM): `id:key` entries, comma-separated,
   * each key 32 bytes in hex or base64; or the same in a file. Unset: a fixed development key that
   * production refuses. Checked by readDeadLetterKeyring, whose messages never quote a key.
   */
  @IsOptional()
  @IsString()
  DEAD_LETTER_KEYS?: string;

  /** A file holding DEAD_LETTER_KEYS (a mounted secret), read at start-up. */
  @IsOptional()
  @IsString()
  DEAD_LETTER_KEYS_FILE?: string;

  /** The key id new dead letters are sealed with; the first listed by default. Older keys stay listed to open older rows. */
  @IsOptional()
  @IsString()
  DEAD_LETTER_ACTIVE_KEY_ID?: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Build the frozen configuration from an environment; throws ConfigError naming each bad variable. */
export function loadAppConfig(env?: NodeJS.ProcessEnv, warn: (line: string) => void = (line) => console.warn(line)): Readonly<AppConfig> {
  if (env === undefined) {
    env = process.env;
    // A .env file fills in what the environment leaves unset (the environment wins).
    const read = applyEnvFile(env);
    if (read && read.applied.length > 0) warn(`config: ${read.applied.length} setting(s) from ${read.file}: ${read.applied.join(', ')}`);
  }
  const known = Object.keys(new AppConfig());
  for (const unknown of unknownSettings(env, [...known, 'ENV_FILE'])) warn(describeUnknownSetting(unknown));
  const picked = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.includes(key) && value !== undefined && value !== ''));
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config);
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => `${e.property}=${JSON.stringify(env[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`));
  }
  const problems = [...tlsProblems(config), ...kafkaSettingProblems(config), ...readDeadLetterKeyring(config).problems, ...(config.NODE_ENV === 'production' ? productionProblems(config) : [])];
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** What the database commands (`npm run db:migrate`, `npm run audit:verify`) read. */
export type DatabaseConfig = Pick<AppConfig, 'NODE_ENV' | 'DATABASE_URL' | 'DATABASE_MIGRATION_URL'>;
const DATABASE_SETTINGS: readonly (keyof DatabaseConfig)[] = ['NODE_ENV', 'DATABASE_URL', 'DATABASE_MIGRATION_URL'];

/**
 * Only the database settings, validated as loadAppConfig validates them: a migration job in
 * production needs the owner's URL, not the apps' tokens, keys and addresses.
 */
export function loadDatabaseConfig(env?: NodeJS.ProcessEnv): Readonly<DatabaseConfig> {
  if (env === undefined) {
    env = process.env;
    applyEnvFile(env);
  }
  const picked = Object.fromEntries(Object.entries(env).filter(([key, value]) => (DATABASE_SETTINGS as readonly string[]).includes(key) && value !== undefined && value !== ''));
  const config = plainToInstance(AppConfig, picked);
  const errors = validateSync(config).filter((e) => (DATABASE_SETTINGS as readonly string[]).includes(e.property));
  if (errors.length > 0) {
    throw new ConfigError(errors.map((e) => `${e.property}=${JSON.stringify(env[e.property])}: ${Object.values(e.constraints ?? {}).join('; ')}`));
  }
  const problems = config.NODE_ENV === 'production' ? databasePasswordProblems(config) : [];
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({ NODE_ENV: config.NODE_ENV, DATABASE_URL: config.DATABASE_URL, DATABASE_MIGRATION_URL: config.DATABASE_MIGRATION_URL });
}

function databasePasswordProblems(config: DatabaseConfig): string[] {
  const problems: string[] = [];
  if (passwordOf(config.DATABASE_URL) === DEVELOPMENT_DATABASE_PASSWORD) problems.push('DATABASE_URL: the development database password may not be used in production');
  if (config.DATABASE_MIGRATION_URL !== undefined && passwordOf(config.DATABASE_MIGRATION_URL) === DEVELOPMENT_DATABASE_PASSWORD) {
    problems.push('DATABASE_MIGRATION_URL: the development database password may not be used in production');
  }
  return problems;
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
  problems.push(...databasePasswordProblems(config));
  if (config.AUDIT_RETENTION_DAYS < MINIMUM_AUDIT_RETENTION_DAYS) {
    problems.push(`AUDIT_RETENTION_DAYS=${config.AUDIT_RETENTION_DAYS}: query logs are kept at least ${MINIMUM_AUDIT_RETENTION_DAYS} days (five years) in production`);
  }
  if (config.MANAGEMENT_TOKEN_SHA256 === undefined) {
    problems.push('MANAGEMENT_TOKEN_SHA256: /metrics and /docs need a management token in production; set the SHA-256 of a random token (Prometheus sends it with authorization.credentials_file)');
  }
  if (!LOOPBACK_HOSTS.has(config.HTTP_HOST) && config.HTTPS_KEY_FILE === undefined && config.TRUSTED_PROXY === undefined) {
    problems.push(`HTTP_HOST=${config.HTTP_HOST}: a public address needs TLS (HTTPS_KEY_FILE, HTTPS_CERT_FILE) or the proxy that terminates it (TRUSTED_PROXY)`);
  }
  const { keyring } = readDeadLetterKeyring(config);
  if (keyring && holdsDevelopmentKey(keyring)) {
    problems.push('DEAD_LETTER_KEYS: the development dead-letter key may not be used in production; give keys of your own (DEAD_LETTER_KEYS or DEAD_LETTER_KEYS_FILE)');
  }
  problems.push(...kafkaProductionProblems(config));
  return problems;
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return ''; // validated as a postgres:// URL already; an unparsable one has no password to judge
  }
}
