import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadAppConfig } from './app-config';
import { developmentKafkaPassword, kafkaClientSecurity, kafkaCredentials, KafkaCredentialError, SERVICE_PRINCIPALS } from './kafka-credentials';

const dir = mkdtempSync(join(tmpdir(), 'kafka-credentials-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const ca = file('ca.pem', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const kafkaMode = { TRANSPORT: 'kafka', KAFKA_SSL_CA: ca };
// Every other production setting given, so the Kafka refusals are the only ones.
const production = { ...kafkaMode, NODE_ENV: 'production', DATABASE_URL: 'postgres://credit_app:s3cret@db.internal:5432/credit_engine', DEAD_LETTER_KEYS: `2026:${'5e'.repeat(32)}`, MANAGEMENT_TOKEN_SHA256: 'a'.repeat(64), KAFKA_PASSWORD_FILE: file('engine.password', 'Zq8v-engine-secret\n') };

const problemsOf = (env: Record<string, string>) => {
  try {
    loadAppConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems.map((p) => p.split(/[=:]/)[0]);
  }
};

describe('Kafka credentials', () => {
  it("gives each role its own principal, with the development password unless one is set", () => {
    const config = loadAppConfig(kafkaMode);
    expect(kafkaCredentials(config, 'engine')).toEqual({ mechanism: 'scram-sha-512', username: 'credit-engine', password: 'dev-credit-engine-kafka' });
    expect(kafkaCredentials(config, 'relay')).toMatchObject({ username: 'credit-relay', password: 'dev-credit-relay-kafka' });
    const explicit = loadAppConfig({ ...kafkaMode, KAFKA_USERNAME: 'engine-7', KAFKA_PASSWORD: 'p', KAFKA_RELAY_USERNAME: 'relay-7', KAFKA_RELAY_PASSWORD_FILE: file('relay.password', 'r3lay\n') });
    // One process holds both: the engine's consumer and its relay authenticate separately.
    expect(kafkaCredentials(explicit, 'engine')).toMatchObject({ username: 'engine-7', password: 'p' });
    expect(kafkaCredentials(explicit, 'relay')).toMatchObject({ username: 'relay-7', password: 'r3lay' });
  });

  it('reads the CA for TLS, trusts the built-in CAs with `system`, and connects in the clear only when told', () => {
    expect(kafkaClientSecurity(loadAppConfig(kafkaMode), 'ingest').tls).toEqual({ ca: readFileSync(ca, 'utf8'), cert: undefined, key: undefined });
    expect(kafkaClientSecurity(loadAppConfig({ ...kafkaMode, KAFKA_SSL_CA: 'system' }), 'ingest').tls).toEqual({ ca: undefined, cert: undefined, key: undefined });
    expect(kafkaClientSecurity(loadAppConfig({ TRANSPORT: 'kafka', KAFKA_SSL: 'false', KAFKA_SASL_MECHANISM: 'none' }), 'ingest')).toEqual({ sasl: undefined, tls: undefined });
  });

  it('stops the boot on missing files and a certificate without its key', () => {
    expect(problemsOf({ TRANSPORT: 'kafka', KAFKA_SSL_CA: join(dir, 'absent.pem') })).toEqual(['KAFKA_SSL_CA']);
    expect(problemsOf({ ...kafkaMode, KAFKA_PASSWORD_FILE: join(dir, 'absent') })).toEqual(['KAFKA_PASSWORD_FILE']);
    expect(problemsOf({ ...kafkaMode, KAFKA_SSL_CERT: ca })).toEqual(['KAFKA_SSL_CERT and KAFKA_SSL_KEY']);
    expect(problemsOf({ ...kafkaMode, KAFKA_SASL_MECHANISM: 'gssapi' })).toEqual(['KAFKA_SASL_MECHANISM']);
    // Without Kafka the files are not needed.
    expect(problemsOf({ KAFKA_SSL_CA: join(dir, 'absent.pem') })).toEqual([]);
  });

  it('refuses in production Kafka without SASL or TLS, and the development passwords', () => {
    expect(problemsOf(production)).toEqual([]);
    expect(problemsOf({ ...production, KAFKA_SASL_MECHANISM: 'none' })).toEqual(['KAFKA_SASL_MECHANISM']);
    expect(problemsOf({ ...production, KAFKA_SSL: 'false' })).toEqual(['KAFKA_SSL']);
    const { KAFKA_PASSWORD_FILE: _, ...unset } = production;
    expect(problemsOf(unset)).toEqual(['KAFKA_PASSWORD']);
    expect(problemsOf({ ...unset, KAFKA_PASSWORD: developmentKafkaPassword('credit-engine') })).toEqual(['KAFKA_PASSWORD']);
    expect(problemsOf({ ...production, KAFKA_PASSWORD_FILE: file('dev.password', 'dev-department-court-kafka\n') })).toEqual(['KAFKA_PASSWORD_FILE']);
    // The relay's password is only read by the engine, when it builds the relay's client.
    expect(() => kafkaCredentials(loadAppConfig(production), 'relay')).toThrow(KafkaCredentialError);
    expect(kafkaCredentials(loadAppConfig({ ...production, KAFKA_RELAY_PASSWORD: 'Rr-relay-secret' }), 'relay')).toMatchObject({ username: 'credit-relay' });
  });

  it('names the same principals and development passwords as scripts/kafka.sh, which creates them', () => {
    const script = readFileSync(resolve(__dirname, '../../../scripts/kafka.sh'), 'utf8');
    const list = /^SERVICE_PRINCIPALS=\(([^)]*)\)$/m.exec(script)?.[1].split(/\s+/).filter(Boolean);
    expect(list?.sort()).toEqual(Object.values(SERVICE_PRINCIPALS).sort());
    expect(script).toContain('dev_password() { echo "dev-$1-kafka"; }');
    expect(developmentKafkaPassword('x')).toBe('dev-x-kafka');
    expect(script).toMatch(/^ADMIN_PRINCIPAL=credit-admin$/m);
    expect(readFileSync(resolve(__dirname, '../../../scripts/kafka/server.properties.template'), 'utf8')).toMatch(/^super\.users=User:broker;User:credit-admin$/m);
  });

  it("finds Kafka's tools where scripts/kafka.sh caches the version the POM pins", () => {
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(resolve(__dirname, '../../../scripts/kafka/pom.xml'), 'utf8'))?.[1];
    expect(loadAppConfig({}).KAFKA_TOOLS_CLASSPATH).toBe(resolve(`.cache/kafka/${version}/libs/*`));
  });
});
