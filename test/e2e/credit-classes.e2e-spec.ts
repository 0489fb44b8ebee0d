import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chinaDate } from '@app/domain';
import { ingestClient, queryClient, QuerySchemas } from '@credit-engine/client';
import { AppProcess, freePort } from '../support/app-process';
import { appRoleEnv, openTestDatabase, ownTestDatabaseUrl, truncateAll } from '../support/database';

// Credit classes as a department meets them (README "Credit classes"): the tax bureau rates an
// enterprise A, market regulation's check answers class A; market regulation lists it as
// abnormal and its check answers C with the rule and facts, and its feed carries both changes.
// An enterprise never seen gets the model's default, stated as such. Ports 4800–4802.

const ENTERPRISE = '91510802MA6T7E1QXE';
const UNKNOWN = '91440101MA5CJQ4N59';
const PERSON = '11010519491231002X';
// The shipped model's version, as its file states it.
const MODEL_VERSION = (JSON.parse(readFileSync(join(__dirname, '../../rules/classes/market-credit-class.json'), 'utf8')) as { version: string }).version;
const today = chinaDate(new Date());
const subject = { kind: 'enterprise', idType: 'USCC', id: ENTERPRISE, name: '广元市利州区云帆信息技术有限公司' };
const envelope = (source: string, id: string, type: string, data: Record<string, unknown>) => ({
  specversion: '1.0',
  id,
  source: `/departments/${source}`,
  type,
  subject: ENTERPRISE,
  time: new Date().toISOString(),
  datacontenttype: 'application/json',
  data: { subject, decidedOn: today, ...data },
});

type CheckResult = QuerySchemas['CreditCheckResultDto'];

describe('credit classes through the credit check API (apps as processes)', () => {
  let db: DataSource;
  let apps: AppProcess[] = [];
  let ingest: AppProcess;
  let query: AppProcess;

  beforeAll(async () => {
    const url = await ownTestDatabaseUrl('credit_classes_e2e');
    db = await openTestDatabase(url);
    await truncateAll(db);
    const env = { ...(await appRoleEnv(url)), TRANSPORT: 'postgres', ENGINE_POLL_INTERVAL_MS: '50' };
    apps = await Promise.all((['ingest-api', 'decision-engine', 'query-api'] as const).map(async (name) => AppProcess.start(name, env, await freePort())));
    [ingest, , query] = apps;
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    await db?.destroy();
  });

  const check = async (department: string, id: string, approvalItem = 'inspection-planning', user = 'inspector-1', purpose = '2026年第四季度双随机抽查'): Promise<CheckResult> => {
    const { data, response } = await queryClient(query.baseUrl, `dev-${department}-token`).GET('/v1/subjects/{id}/check', {
      params: { path: { id }, query: { approvalItem, purpose }, header: { 'x-user-id': user } },
    });
    expect(response.status).toBe(200);
    return data!;
  };
  const publish = async (department: string, event: object) => {
    const { response } = await ingestClient(ingest.baseUrl, `dev-${department}-token`).POST('/v1/events', { body: event as never });
    expect(response.status).toBe(202);
  };
  /** The market class of the enterprise once it is `expected` (the engine decides asynchronously). */
  const classOnceIt = async (expected: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const result = await check('market-regulation', ENTERPRISE);
      const market = result.creditClasses.find((c) => c.model.id === 'market-credit-class');
      if (market?.class === expected) return market;
      if (Date.now() > deadline) throw new Error(`class never became ${expected}: ${JSON.stringify(market)}\n${apps[1].log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('answers the default class for an enterprise never seen, stated as the default', async () => {
    const result = await check('finance', UNKNOWN, 'government-procurement');
    expect(result.record).toBe(false);
    expect(result.creditClasses).toEqual([
      expect.objectContaining({
        model: expect.objectContaining({ id: 'market-credit-class', owner: 'market-regulation', version: MODEL_VERSION, revision: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) }),
        class: 'B',
        basis: 'default',
        rule: null,
        matchedFacts: {},
        since: null,
        explanation: { zh: 'B类（信用风险一般）：无信用记录，按模型默认分类', en: "Class B (ordinary credit risk): nothing on record, the model's default class" },
      }),
    ]);
  });

  it('gives no class to a natural person from a model that classifies enterprises', async () => {
    expect((await check('market-regulation', PERSON)).creditClasses).toEqual([]);
  });

  it('moves an A-grade taxpayer to C when it is listed as abnormal, with the rule, the facts and the changes on the feed', async () => {
    await publish('tax', envelope('tax', 'class-e2e-rating', 'credit.rating.assigned.v1', { scheme: 'tax-credit', grade: 'A', ratingYear: 2025, documentNumber: '广利税信评〔2026〕1号' }));
    const a = await classOnceIt('A');
    expect(a).toMatchObject({ basis: 'rule', rule: { name: 'commended' }, matchedFacts: { commendations: 1, 'penalties.general': 0, 'measures.general': 0 } });
    expect(a.since).toEqual(expect.any(String));

    await publish('market-regulation', envelope('market-regulation', 'class-e2e-abnormal', 'credit.list-entry.added.v1', { listCode: 'abnormal-operation', reason: 'annual-report-not-filed', documentNumber: '利市监异列〔2026〕201号' }));
    const c = await classOnceIt('C');
    expect(c).toMatchObject({ basis: 'rule', rule: { name: 'key-attention', description: { zh: '列入重点关注名单（如经营异常名录）' } }, matchedFacts: { 'lists.keyAttention': 1 } });
    expect(c.explanation.en).toBe('Class C (higher credit risk): on a key-attention list (e.g. abnormal operation) (lists.keyAttention=1)');

    const { data: feed } = await queryClient(query.baseUrl, 'dev-market-regulation-token').GET('/v1/feed', { params: { query: { after: '0' }, header: { 'x-user-id': 'feed-reader' } } });
    const changes = feed!.records.filter((r) => (r as { kind: string }).kind === 'credit-class.changed') as unknown as QuerySchemas['CreditClassChangedRecord'][];
    expect(changes.map((r) => [r.previousClass, r.class, r.rule?.name])).toEqual([
      ['B', 'A', 'commended'],
      ['A', 'C', 'key-attention'],
    ]);
    expect(changes[1]).toMatchObject({ subjectId: ENTERPRISE, causeKey: '/departments/market-regulation/class-e2e-abnormal', model: { id: 'market-credit-class' } });
  });
});
