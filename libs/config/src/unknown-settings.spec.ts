import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig, loadAppConfig } from './app-config';
import { applyEnvFile } from './env-file';
import { describeUnknownSetting, unknownSettings } from './unknown-settings';

const known = Object.keys(new AppConfig());

describe('settings that are none of ours', () => {
  it('names a misspelled setting and the one it most likely means', () => {
    expect(unknownSettings({ KAFKA_BROKER: '127.0.0.1:9092', ENGINE_BATCHSIZE: '100', DATABASE_ULR: 'postgres://x' }, known)).toEqual([
      { name: 'DATABASE_ULR', suggestion: 'DATABASE_URL' },
      { name: 'ENGINE_BATCHSIZE', suggestion: 'ENGINE_BATCH_SIZE' },
      { name: 'KAFKA_BROKER', suggestion: 'KAFKA_BROKERS' },
    ]);
    expect(describeUnknownSetting({ name: 'KAFKA_BROKER', suggestion: 'KAFKA_BROKERS' })).toBe('config: KAFKA_BROKER is not a setting of this program and is ignored — did you mean KAFKA_BROKERS?');
  });

  it('names an unknown setting under our words without a suggestion when none is close', () => {
    expect(unknownSettings({ ENGINE_TURBO_MODE_FOR_EVERYTHING: '1' }, known)).toEqual([{ name: 'ENGINE_TURBO_MODE_FOR_EVERYTHING' }]);
  });

  it("leaves alone known settings, other programs' variables and Kubernetes service links", () => {
    const env = {
      KAFKA_BROKERS: 'x', NODE_OPTIONS: '--enable-source-maps', NODE_EXTRA_CA_CERTS: '/ca.pem', PATH: '/bin', HOME: '/root', HTTP_PROXY: 'http://proxy', HTTPS_PROXY: 'http://proxy',
      KAFKA_PORT: '29092', KAFKA_HEAP_OPTS: '-Xmx512m', KAFKA_SERVICE_HOST: '10.0.0.1', KAFKA_SERVICE_PORT: '9092', KAFKA_PORT_9092_TCP_ADDR: '10.0.0.1', DATABASE_SERVICE_PORT_POSTGRES: '5432',
      TEST_DATABASE_URL: 'postgres://t', BENCH_DATABASE_URL: 'postgres://b',
    };
    expect(unknownSettings(env, known)).toEqual([]);
  });

  it('warns through loadAppConfig, which still starts', () => {
    const lines: string[] = [];
    const config = loadAppConfig({ KAFKA_BROKER: '127.0.0.1:9092' }, (line) => lines.push(line));
    expect(config.KAFKA_BROKERS).toBe(new AppConfig().KAFKA_BROKERS);
    expect(lines).toEqual(['config: KAFKA_BROKER is not a setting of this program and is ignored — did you mean KAFKA_BROKERS?']);
  });
});

describe('.env files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'env-file-'));
  writeFileSync(join(dir, '.env'), '# a comment\nENGINE_BATCH_SIZE=100\nLOG_LEVEL="debug"\nQUERY_PORT=4002\n');
  writeFileSync(join(dir, 'other.env'), 'ENGINE_BATCH_SIZE=7\n');

  it('fill in what the environment leaves unset, the environment winning', () => {
    const env: NodeJS.ProcessEnv = { QUERY_PORT: '5002' };
    expect(applyEnvFile(env, dir)).toEqual({ file: join(dir, '.env'), applied: ['ENGINE_BATCH_SIZE', 'LOG_LEVEL'] });
    expect(env).toEqual({ QUERY_PORT: '5002', ENGINE_BATCH_SIZE: '100', LOG_LEVEL: 'debug' });
    expect(loadAppConfig(env, () => undefined)).toMatchObject({ ENGINE_BATCH_SIZE: 100, LOG_LEVEL: 'debug', QUERY_PORT: 5002 });
  });

  it('come from ENV_FILE when it names one, which must exist', () => {
    const env: NodeJS.ProcessEnv = { ENV_FILE: 'other.env' };
    applyEnvFile(env, dir);
    expect(env.ENGINE_BATCH_SIZE).toBe('7');
    expect(() => applyEnvFile({ ENV_FILE: 'missing.env' }, dir)).toThrow(/ENV_FILE="missing.env": no such file/);
  });

  it('are optional', () => {
    expect(applyEnvFile({}, mkdtempSync(join(tmpdir(), 'no-env-')))).toBeUndefined();
  });
});
