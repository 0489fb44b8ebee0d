import { Department } from '@app/domain';
import { ClassifiedOrganisation, SupervisionSampleInput } from '@app/persistence';
import { SupervisionPlan } from './supervision-config';
import { SupervisionSampleService } from './supervision-sample.service';
import { SupervisionError } from './supervision.errors';

const MODEL = { id: 'market-credit-class', version: '1.0.0', revision: 'sha256:current', defaultClass: 'B' };
const PLAN: SupervisionPlan = {
  department: 'market-regulation',
  model: MODEL.id,
  frequency: 'quarter',
  classes: new Map([
    ['A', { inspectionRatio: 0.03, frequency: 'quarter' }],
    ['B', { inspectionRatio: 0.05, frequency: 'quarter' }],
    ['C', { inspectionRatio: 0.2, frequency: 'quarter' }],
    ['D', { inspectionRatio: 1, frequency: 'quarter' }],
  ]),
};
const DEPARTMENT = { code: 'market-regulation' } as Department;
const NOW = new Date('2026-11-20T02:00:00Z');
const BODY = { period: '2026-Q4', population: { includeClassified: true } };

/** The service with in-memory stand-ins for its repository and audit (both PostgreSQL, tested in test/integration/supervision-samples.spec.ts). */
function service(stored: ClassifiedOrganisation[]) {
  const inserted: SupervisionSampleInput[] = [];
  const audited: { department: string; userId?: string }[] = [];
  const repository = {
    classesOf: async () => stored,
    find: async (id: string) => inserted.map((input) => ({ ...input, id, drawnAt: input.drawnAt.toISOString() }))[0],
    insert: async (input: SupervisionSampleInput) => {
      inserted.push(input);
      return { row: { ...input, id: '00000000-0000-4000-8000-000000000001', drawnAt: input.drawnAt.toISOString() } };
    },
  };
  const audit = { logRead: async <T>(reader: { department: string; userId?: string }, _endpoint: string, answer: T) => (audited.push(reader), answer) };
  const plans = { ofDepartment: (code: string) => (code === PLAN.department ? [PLAN] : []) };
  const models = { model: (id: string) => (id === MODEL.id ? MODEL : undefined) };
  const clock = { now: () => NOW };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const svc = new SupervisionSampleService(plans as any, models as any, repository as any, audit as any, clock as any);
  return { svc, inserted, audited };
}

const row = (id: string, cls: string, revision = MODEL.revision): ClassifiedOrganisation => ({ id, class: cls, basis: 'rule', modelRevision: revision });

describe('SupervisionSampleService.draw', () => {
  it('draws from classes of the current revision', async () => {
    const { svc, inserted } = service([row('91110000000000001A', 'C'), row('91110000000000002B', 'D')]);
    const view = await svc.draw(DEPARTMENT, BODY);
    expect(view.drawn.map((d) => d.subjectId).sort()).toEqual(['91110000000000001A', '91110000000000002B']);
    expect(inserted[0].population.every((m) => !('modelRevision' in m))).toBe(true);
  });

  it('refuses, as a domain error before drawing, a class the current model no longer has', async () => {
    const { svc, inserted } = service([row('91110000000000001A', 'C'), row('91110000000000002B', 'E')]);
    const error = await svc.draw(DEPARTMENT, BODY).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisionError);
    expect(error).toMatchObject({ code: 'SUPERVISION.CLASSES_STALE', context: { model: MODEL.id, unplannedClasses: ['E'], retryAfterSeconds: expect.any(Number) } });
    expect(inserted).toHaveLength(0);
  });

  it('refuses rows of an older model revision even when their class still exists', async () => {
    const { svc, inserted } = service([row('91110000000000001A', 'C', 'sha256:older')]);
    await expect(svc.draw(DEPARTMENT, BODY)).rejects.toMatchObject({ code: 'SUPERVISION.CLASSES_STALE', context: { otherRevision: 1, unplannedClasses: [] } });
    expect(inserted).toHaveLength(0);
  });
});

describe('SupervisionSampleService.read', () => {
  it('logs the reader under the normalised X-User-Id, not the raw header', async () => {
    const { svc, audited } = service([row('91110000000000001A', 'D')]);
    const { id } = await svc.draw(DEPARTMENT, BODY);
    await svc.read(DEPARTMENT, id, '  clerk-7 ');
    expect(audited.at(-1)).toEqual({ department: 'market-regulation', userId: 'clerk-7' });
  });

  it('refuses a header the audit row cannot hold before reading', async () => {
    const { svc } = service([]);
    await expect(svc.read(DEPARTMENT, '00000000-0000-4000-8000-000000000001', 'x'.repeat(500))).rejects.toMatchObject({ code: 'AUDIT.BAD_USER_ID' });
  });
});
