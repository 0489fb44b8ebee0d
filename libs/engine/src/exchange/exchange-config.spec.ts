import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExchangeError } from './exchange.errors';
import { checkExchangeConfig, loadExchangeConfig, peersFor } from './exchange-config';

// The exchange file (EXCHANGE_FILE): a district's links to its city, read once at start-up; what
// the file gets wrong stops the boot, every problem named with its path.

const departments = new Map<string, { kind?: string }>([
  ['court', {}],
  ['guangyuan-city', { kind: 'deployment' }],
  ['zhaohua-district', { kind: 'deployment' }],
]);
const district = {
  deployment: 'lizhou',
  links: [
    {
      peer: 'guangyuan',
      outbound: { memoranda: ['judgment-debtors', 'tax-major-violations'] },
      inbound: { publisher: 'guangyuan-city', brokers: ['city-kafka.internal:9093'], topicPrefix: 'gy.', username: 'lizhou-bridge', passwordEnv: 'EXCHANGE_GUANGYUAN_PASSWORD' },
    },
  ],
};

function problemsOf(content: unknown): string[] {
  try {
    checkExchangeConfig(content, { departments }, 'exchange.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ExchangeError);
    expect((error as ExchangeError).code).toBe('EXCHANGE.INVALID_CONFIG');
    return (error as ExchangeError).context.problems as string[];
  }
  throw new Error('accepted');
}

describe('exchange links', () => {
  it('read a link in both directions, and which peers an event of a memorandum goes to', () => {
    const config = checkExchangeConfig(district, { departments }, 'exchange.json');
    expect(config).toEqual(district);
    expect(peersFor(config, ['judgment-debtors'])).toEqual(['guangyuan']);
    expect(peersFor(config, ['honours'])).toEqual([]);
  });

  it('default the peer topic prefix to none', () => {
    const { topicPrefix, ...inbound } = district.links[0].inbound;
    expect(topicPrefix).toBe('gy.');
    const config = checkExchangeConfig({ ...district, links: [{ peer: 'guangyuan', inbound }] }, { departments }, 'exchange.json');
    expect(config.links[0].inbound?.topicPrefix).toBe('');
  });

  it('refuse a file the schema refuses, naming the path, an unknown property and a password written in place of its variable', () => {
    expect(problemsOf({ deployment: 'Lizhou', links: [{ peer: 'guangyuan', outbound: { memoranda: [] }, extra: 1 }] })).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\$\.deployment: must match pattern/), expect.stringMatching(/^\$\.links\[0\]: unknown property "extra"/), expect.stringMatching(/^\$\.links\[0\]\.outbound\.memoranda: must NOT have fewer than 1 items/)]),
    );
    const withPassword = structuredClone(district) as { links: { inbound: Record<string, unknown> }[] };
    withPassword.links[0].inbound.passwordEnv = 's3cret-password';
    expect(problemsOf(withPassword)).toEqual([expect.stringMatching(/^\$\.links\[0\]\.inbound\.passwordEnv: must match pattern/)]);
  });

  it('refuse a link to itself, a second link to one peer, a link that carries nothing, and inbound publishers that are not deployments or serve two peers', () => {
    const problems = problemsOf({
      deployment: 'lizhou',
      links: [
        { peer: 'lizhou', outbound: { memoranda: ['judgment-debtors'] } },
        { peer: 'guangyuan', inbound: { ...district.links[0].inbound, publisher: 'court' } },
        { peer: 'guangyuan', outbound: { memoranda: ['judgment-debtors'] } },
        { peer: 'zhaohua' },
        { peer: 'cangxi', inbound: { ...district.links[0].inbound, publisher: 'zhaohua-district' } },
        { peer: 'jiange', inbound: { ...district.links[0].inbound, publisher: 'zhaohua-district' } },
        { peer: 'wangcang', inbound: { ...district.links[0].inbound, publisher: 'nobody' } },
      ],
    });
    expect(problems).toEqual([
      '$.links[0].peer: "lizhou" is this deployment itself',
      '$.links[1].inbound.publisher: "court" is not of kind "deployment": only a peer deployment relays events with their provenance',
      '$.links[2].peer: a second link to "guangyuan" (one link a peer, both directions in it)',
      '$.links[3]: neither outbound nor inbound: the link carries nothing',
      '$.links[5].inbound.publisher: "zhaohua-district" already writes for another peer (one publisher a peer, so its topic and ACLs are that peer\'s)',
      '$.links[6].inbound.publisher: unknown publisher "nobody" (not in the departments registry)',
    ]);
  });

  it('name the file it could not read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'exchange-'));
    const file = join(dir, 'exchange.json');
    writeFileSync(file, '{ not json');
    expect(() => loadExchangeConfig(file, { departments })).toThrow(new RegExp(`^EXCHANGE_FILE=${file}: cannot read the exchange links`));
    writeFileSync(file, JSON.stringify(district));
    expect(loadExchangeConfig(file, { departments }).deployment).toBe('lizhou');
  });
});
