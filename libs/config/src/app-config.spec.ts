import { ConfigError, loadAppConfig, loadDatabaseConfig } from './app-config';
import { DEVELOPMENT_DEAD_LETTER_KEY } from './dead-letter-keys';

describe('loadAppConfig', () => {
  it('has defaults that work on the embedded setup', () => {
    const config = loadAppConfig({});
    expect(config).toMatchObject({ TRANSPORT: 'postgres', INGEST_PORT: 3001, QUERY_PORT: 3002, ENGINE_PORT: 3003, HTTP_PLATFORM: 'fastify' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads and converts variables', () => {
    expect(loadAppConfig({ TRANSPORT: 'kafka', INGEST_PORT: '8080', KAFKA_BROKERS: 'a:9092,b:9092', KAFKA_SSL_CA: 'system' })).toMatchObject({ TRANSPORT: 'kafka', INGEST_PORT: 8080, KAFKA_BROKERS: 'a:9092,b:9092' });
    expect(loadAppConfig({ HTTP_PLATFORM: 'express' }).HTTP_PLATFORM).toBe('express');
  });

  it('stops with a message naming every wrong variable', () => {
    let error: unknown;
    try {
      loadAppConfig({ TRANSPORT: 'carrier-pigeon', INGEST_PORT: 'eighty', DATABASE_URL: 'mysql://x', HTTP_PLATFORM: 'koa' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split('=')[0]).sort()).toEqual(['DATABASE_URL', 'HTTP_PLATFORM', 'INGEST_PORT', 'TRANSPORT']);
  });
});

describe('production mode', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://credit_app:s3cret@db.internal:5432/credit_engine', DEAD_LETTER_KEYS: `2026:${'5e'.repeat(32)}`, MANAGEMENT_TOKEN_SHA256: 'a'.repeat(64) };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadAppConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems.map((p) => p.split(/[=:]/)[0]);
    }
  };

  it('starts on production settings', () => {
    expect(problemsOf(production)).toEqual([]);
    expect(problemsOf({ ...production, HTTP_HOST: '0.0.0.0', TRUSTED_PROXY: '10.0.0.0/8' })).toEqual([]);
    expect(problemsOf({ ...production, HTTP_HOST: '0.0.0.0', HTTPS_KEY_FILE: '/etc/tls/key.pem', HTTPS_CERT_FILE: '/etc/tls/cert.pem' })).toEqual([]);
  });

  it('refuses, naming each variable, what is only safe on a developer machine', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['DATABASE_URL', 'MANAGEMENT_TOKEN_SHA256', 'DEAD_LETTER_KEYS']);
    expect(problemsOf({ ...production, DEAD_LETTER_KEYS: `old:${DEVELOPMENT_DEAD_LETTER_KEY.toString('hex')},2026:${'5e'.repeat(32)}` })).toEqual(['DEAD_LETTER_KEYS']);
    const { MANAGEMENT_TOKEN_SHA256: _, ...withoutManagementToken } = production;
    expect(problemsOf(withoutManagementToken)).toEqual(['MANAGEMENT_TOKEN_SHA256']);
    expect(problemsOf({ ...production, AUDIT_RETENTION_DAYS: '30' })).toEqual(['AUDIT_RETENTION_DAYS']);
    expect(problemsOf({ ...production, HTTP_HOST: '0.0.0.0' })).toEqual(['HTTP_HOST']);
    expect(problemsOf({ ...production, HTTPS_KEY_FILE: '/etc/tls/key.pem' })).toEqual(['HTTPS_KEY_FILE and HTTPS_CERT_FILE']);
    expect(problemsOf({ ...production, DATABASE_MIGRATION_URL: 'postgres://postgres:postgres@db.internal:5432/credit_engine' })).toEqual(['DATABASE_MIGRATION_URL']);
    expect(problemsOf({ ...production, DATABASE_MIGRATION_URL: 'postgres://credit_owner:0ther@db.internal:5432/credit_engine' })).toEqual([]);
  });

  it('refuses dead-letter keys that do not parse in every mode, without quoting them', () => {
    let error: unknown;
    try {
      loadAppConfig({ DEAD_LETTER_KEYS: 'k:0123456789abcdef' });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).problems).toEqual([expect.stringMatching(/^DEAD_LETTER_KEYS: key "k" must be 32 bytes/)]);
    expect((error as ConfigError).message).not.toContain('0123456789abcdef');
  });

  it('takes several management token hashes (rotation), and refuses anything but SHA-256 hex', () => {
    expect(problemsOf({ ...production, MANAGEMENT_TOKEN_SHA256: `${'a'.repeat(64)},${'b'.repeat(64)}` })).toEqual([]);
    expect(problemsOf({ ...production, MANAGEMENT_TOKEN_SHA256: 'my-secret-token' })).toEqual(['MANAGEMENT_TOKEN_SHA256']);
  });

  it('accepts all of it outside production, where the embedded defaults must work', () => {
    expect(problemsOf({ AUDIT_RETENTION_DAYS: '30', HTTP_HOST: '0.0.0.0' })).toEqual([]);
  });
});

describe('loadDatabaseConfig (the database commands)', () => {
  it('reads only the database settings, so a production migration job needs nothing else', () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: 'postgres://credit_engine_app:x@db:5432/credit_engine', DATABASE_MIGRATION_URL: 'postgres://owner:y@db:5432/credit_engine', HTTP_HOST: '0.0.0.0' };
    expect(loadDatabaseConfig(env)).toEqual({ NODE_ENV: 'production', DATABASE_URL: env.DATABASE_URL, DATABASE_MIGRATION_URL: env.DATABASE_MIGRATION_URL });
  });

  it('still refuses a bad URL and, in production, the development password', () => {
    expect(() => loadDatabaseConfig({ DATABASE_MIGRATION_URL: 'mysql://x' })).toThrow(/DATABASE_MIGRATION_URL="mysql:\/\/x": DATABASE_MIGRATION_URL must be a postgres:\/\/ URL/);
    expect(() => loadDatabaseConfig({ NODE_ENV: 'production', DATABASE_MIGRATION_URL: 'postgres://postgres:postgres@db:5432/credit_engine' })).toThrow(/DATABASE_URL: the development database password[\s\S]*DATABASE_MIGRATION_URL: the development database password/);
  });
});
