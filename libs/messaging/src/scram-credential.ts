import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaCredentials } from '@app/config';

/** How to reach the brokers as the admin principal from Kafka's own (Java) tools. */
export interface KafkaToolsConnection {
  brokers: string;
  /** Class path of the Kafka distribution's jars (e.g. `/opt/kafka/libs/*`). */
  classpath: string;
  java?: string;
  admin: KafkaCredentials;
  /** PEM CA file; undefined: the JVM's trust store. Without TLS: plaintext. */
  tls?: { caFile?: string };
}

export type ScramMechanism = 'SCRAM-SHA-512' | 'SCRAM-SHA-256';

/**
 * Creates a SCRAM user or overwrites its password. kafkajs has no AlterUserScramCredentials
 * (KIP-554), so this runs the broker's own ConfigCommand, which sends that request through the
 * Admin API (`--bootstrap-server`), as scripts/kafka.sh does for the development principals.
 * The admin's password goes through a private temporary file, never the command line.
 */
export async function setScramCredential(connection: KafkaToolsConnection, username: string, password: string, mechanism: ScramMechanism = 'SCRAM-SHA-512'): Promise<void> {
  if (!/^[\w.@-]+$/.test(username)) throw new Error(`"${username}" is not a usable SCRAM user name`);
  const dir = mkdtempSync(join(tmpdir(), 'kafka-admin-'));
  const properties = join(dir, 'admin.properties');
  try {
    writeFileSync(properties, clientProperties(connection), { mode: 0o600 });
    // ConfigCommand parses the value as key=[k=v,…]: a comma or bracket in the password would end it.
    if (/[,[\]=]/.test(password)) throw new Error('a SCRAM password for ConfigCommand may not contain , [ ] or =');
    await run(connection.java ?? 'java', [
      '-Xmx256m',
      '-cp',
      connection.classpath,
      'kafka.admin.ConfigCommand',
      '--bootstrap-server',
      connection.brokers,
      '--command-config',
      properties,
      '--alter',
      '--entity-type',
      'users',
      '--entity-name',
      username,
      '--add-config',
      `${mechanism}=[iterations=8192,password=${password}]`,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function clientProperties({ admin, tls }: KafkaToolsConnection): string {
  const module = admin.mechanism === 'plain' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  const quote = (value: string) => JSON.stringify(value);
  return [
    `security.protocol=${tls ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`,
    `sasl.mechanism=${admin.mechanism.toUpperCase()}`,
    `sasl.jaas.config=${module} required username=${quote(admin.username)} password=${quote(admin.password)};`,
    ...(tls?.caFile ? ['ssl.truststore.type=PEM', `ssl.truststore.location=${tls.caFile}`] : []),
    '',
  ].join('\n');
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${args[3]} failed: ${(stderr || stdout || error.message).trim().split('\n').slice(-5).join(' | ')}`));
      else resolve();
    });
  });
}
