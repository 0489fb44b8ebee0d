import { existsSync, readFileSync } from 'node:fs';
import type { AppConfig, KafkaSaslMechanism } from './app-config';

/**
 * Who connects to Kafka, by role. Each role is its own principal so that the broker's ACLs
 * can tell them apart: only the engine reads inbound topics, only the relay writes decision
 * topics, the ingest only writes inbound topics, the bridge only the inbound topics of peer
 * deployments, and the admin principal is for provisioning.
 */
export const SERVICE_PRINCIPALS = {
  engine: 'credit-engine',
  relay: 'credit-relay',
  ingest: 'credit-ingest',
  /** The exchange bridge (issue 16): writes, on this cluster, what a peer deployment sends. */
  bridge: 'credit-bridge',
  admin: 'credit-admin',
} as const;

export type KafkaRole = keyof typeof SERVICE_PRINCIPALS;

/** A department's own principal: it writes its inbound topic and reads its decision topic, nothing else. */
export function departmentPrincipal(code: string): string {
  return `department-${code}`;
}

/**
 * The well-known password of a principal on the development broker (scripts/kafka.sh creates
 * every principal with it), in the spirit of the dev-<code>-token HTTP tokens: convenient on
 * a developer's machine and refused in production.
 */
export function developmentKafkaPassword(principal: string): string {
  return `dev-${principal}-kafka`;
}

const DEVELOPMENT_PASSWORD = /^dev-.+-kafka$/;

export interface KafkaCredentials {
  mechanism: Exclude<KafkaSaslMechanism, 'none'>;
  username: string;
  password: string;
}

/** TLS material as file contents, ready for a TLS client. `ca` undefined: Node's built-in CAs. */
export interface KafkaTls {
  ca?: string;
  cert?: string;
  key?: string;
}

export interface KafkaClientSecurity {
  sasl?: KafkaCredentials;
  tls?: KafkaTls;
}

/** The engine process's relay has its own settings; every other role uses KAFKA_USERNAME / KAFKA_PASSWORD. */
function credentialSettings(config: AppConfig, role: KafkaRole) {
  return role === 'relay'
    ? { username: config.KAFKA_RELAY_USERNAME, password: config.KAFKA_RELAY_PASSWORD, passwordFile: config.KAFKA_RELAY_PASSWORD_FILE, names: 'KAFKA_RELAY_PASSWORD' }
    : { username: config.KAFKA_USERNAME, password: config.KAFKA_PASSWORD, passwordFile: config.KAFKA_PASSWORD_FILE, names: 'KAFKA_PASSWORD' };
}

/** The principal and password a role connects with; read once, when the Kafka client is built. */
export function kafkaCredentials(config: AppConfig, role: KafkaRole): KafkaCredentials | undefined {
  if (config.KAFKA_SASL_MECHANISM === 'none') return undefined;
  if (config.NODE_ENV === 'production') {
    const problem = developmentPasswordProblem(config, role);
    if (problem) throw new KafkaCredentialError(problem);
  }
  return { mechanism: config.KAFKA_SASL_MECHANISM, username: usernameOf(config, role), password: resolvePassword(config, role) };
}

function usernameOf(config: AppConfig, role: KafkaRole): string {
  return credentialSettings(config, role).username ?? SERVICE_PRINCIPALS[role];
}

function resolvePassword(config: AppConfig, role: KafkaRole): string {
  const settings = credentialSettings(config, role);
  return settings.passwordFile !== undefined ? readSecretFile(settings.passwordFile) : (settings.password ?? developmentKafkaPassword(usernameOf(config, role)));
}

/** A role's credentials refused when its client is built (the relay's, in production). */
export class KafkaCredentialError extends Error {
  constructor(readonly problem: string) {
    super(`invalid configuration:\n  - ${problem}`);
    this.name = 'KafkaCredentialError';
  }
}

export function kafkaClientSecurity(config: AppConfig, role: KafkaRole): KafkaClientSecurity {
  const read = (file: string | undefined) => (file === undefined ? undefined : readFileSync(file, 'utf8'));
  return {
    sasl: kafkaCredentials(config, role),
    tls: config.KAFKA_SSL ? { ca: config.KAFKA_SSL_CA === 'system' ? undefined : read(config.KAFKA_SSL_CA), cert: read(config.KAFKA_SSL_CERT), key: read(config.KAFKA_SSL_KEY) } : undefined,
  };
}

/** A password file is a mounted secret: one line, maybe with a trailing newline that is not part of it. */
function readSecretFile(file: string): string {
  return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
}

/** Start-up checks in every mode: files named must exist, certificate and key come together. */
export function kafkaSettingProblems(config: AppConfig): string[] {
  if (config.TRANSPORT !== 'kafka') return [];
  const problems: string[] = [];
  const files: [string, string | undefined][] = [
    ['KAFKA_PASSWORD_FILE', config.KAFKA_PASSWORD_FILE],
    ['KAFKA_RELAY_PASSWORD_FILE', config.KAFKA_RELAY_PASSWORD_FILE],
    ...(config.KAFKA_SSL
      ? ([
          ['KAFKA_SSL_CA', config.KAFKA_SSL_CA === 'system' ? undefined : config.KAFKA_SSL_CA],
          ['KAFKA_SSL_CERT', config.KAFKA_SSL_CERT],
          ['KAFKA_SSL_KEY', config.KAFKA_SSL_KEY],
        ] as [string, string | undefined][])
      : []),
  ];
  for (const [name, file] of files) {
    if (file !== undefined && !existsSync(file)) problems.push(`${name}=${JSON.stringify(file)}: no such file${name === 'KAFKA_SSL_CA' ? ' (the development broker writes it on `npm run kafka:start`; `system` trusts the built-in CAs)' : ''}`);
  }
  if ((config.KAFKA_SSL_CERT === undefined) !== (config.KAFKA_SSL_KEY === undefined)) problems.push('KAFKA_SSL_CERT and KAFKA_SSL_KEY: give both (a client certificate) or neither');
  return problems;
}

/**
 * Kafka without authentication or encryption, or with a development password, is not for
 * production. The relay's password is checked where the engine builds the relay's client
 * (kafkaCredentials), since only the engine process reads it.
 */
export function kafkaProductionProblems(config: AppConfig): string[] {
  if (config.TRANSPORT !== 'kafka') return [];
  const problems: string[] = [];
  if (config.KAFKA_SASL_MECHANISM === 'none') problems.push('KAFKA_SASL_MECHANISM=none: production brokers authenticate every client (scram-sha-512, scram-sha-256 or plain over TLS)');
  if (!config.KAFKA_SSL) problems.push('KAFKA_SSL=false: production traffic to the brokers is encrypted (TLS)');
  if (config.KAFKA_SASL_MECHANISM !== 'none') {
    const problem = developmentPasswordProblem(config, 'engine');
    if (problem) problems.push(problem);
  }
  return problems;
}

function developmentPasswordProblem(config: AppConfig, role: KafkaRole): string | undefined {
  const settings = credentialSettings(config, role);
  let password: string;
  try {
    password = resolvePassword(config, role);
  } catch {
    return undefined; // An unreadable file is reported by kafkaSettingProblems.
  }
  if (!DEVELOPMENT_PASSWORD.test(password)) return undefined;
  const unset = settings.password === undefined && settings.passwordFile === undefined;
  return `${settings.names}${settings.passwordFile !== undefined ? '_FILE' : ''}: ${unset ? 'unset, so the development Kafka password would be used' : 'a development Kafka password'}; production principals have their own secrets`;
}
