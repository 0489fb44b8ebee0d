import { ConfigError, loadAppConfig } from './app-config';

describe('loadAppConfig', () => {
  it('has defaults that work on the embedded setup', () => {
    const config = loadAppConfig({});
    expect(config).toMatchObject({ TRANSPORT: 'postgres', INGEST_PORT: 3001, QUERY_PORT: 3002, ENGINE_PORT: 3003 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads and converts variables', () => {
    expect(loadAppConfig({ TRANSPORT: 'kafka', INGEST_PORT: '8080', KAFKA_BROKERS: 'a:9092,b:9092' })).toMatchObject({ TRANSPORT: 'kafka', INGEST_PORT: 8080, KAFKA_BROKERS: 'a:9092,b:9092' });
  });

  it('stops with a message naming every wrong variable', () => {
    let error: unknown;
    try {
      loadAppConfig({ TRANSPORT: 'carrier-pigeon', INGEST_PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split('=')[0]).sort()).toEqual(['DATABASE_URL', 'INGEST_PORT', 'TRANSPORT']);
  });
});

describe('production mode', () => {
  const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://credit_app:s3cret@db.internal:5432/credit_engine' };
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
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual(['DATABASE_URL']);
    expect(problemsOf({ ...production, AUDIT_RETENTION_DAYS: '30' })).toEqual(['AUDIT_RETENTION_DAYS']);
    expect(problemsOf({ ...production, HTTP_HOST: '0.0.0.0' })).toEqual(['HTTP_HOST']);
    expect(problemsOf({ ...production, HTTPS_KEY_FILE: '/etc/tls/key.pem' })).toEqual(['HTTPS_KEY_FILE and HTTPS_CERT_FILE']);
    expect(problemsOf({ ...production, DATABASE_MIGRATION_URL: 'postgres://postgres:postgres@db.internal:5432/credit_engine' })).toEqual(['DATABASE_MIGRATION_URL']);
    expect(problemsOf({ ...production, DATABASE_MIGRATION_URL: 'postgres://credit_owner:0ther@db.internal:5432/credit_engine' })).toEqual([]);
  });

  it('accepts all of it outside production, where the embedded defaults must work', () => {
    expect(problemsOf({ AUDIT_RETENTION_DAYS: '30', HTTP_HOST: '0.0.0.0' })).toEqual([]);
  });
});
