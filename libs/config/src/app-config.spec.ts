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
