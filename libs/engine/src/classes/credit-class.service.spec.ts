import type { EntityManager } from 'typeorm';
import type { CreditClassRepository, DecisionRepository } from '@app/persistence';
import { DEFAULT_PUBLICITY } from '@app/rules';
import type { CommitmentStanding } from './commitment-standing';
import type { CreditClassCatalogue } from './credit-class-catalogue';
import { CreditClassService } from './credit-class.service';

type Subject = { idType: string; id: string; kind: string };

/** A class service over fakes: one model of enterprises, stale and due subjects as given; every repository call is logged in order. */
function serviceWith({ stale = [] as Subject[], due = [] as Subject[] } = {}) {
  const calls: { name: string; args: unknown[] }[] = [];
  const log = (name: string, ...args: unknown[]) => void calls.push({ name, args });
  const model = { id: 'm', version: '1.1.0', revision: 'sha256:1', subjectKinds: ['enterprise'], defaultClass: 'B', publishTo: [] };
  const catalogue = {
    models: [model],
    evaluators: new Map([['m', { evaluate: async () => ({ model, class: 'B', label: { zh: '乙', en: 'B' }, basis: 'otherwise', rule: null, alsoMatched: [], facts: null }) }]]),
    sanctionPublicity: DEFAULT_PUBLICITY,
  } as unknown as CreditClassCatalogue;
  const classes = {
    classifiedUnderOlderVersion: async (_m: EntityManager, ...args: unknown[]) => (log('classifiedUnderOlderVersion', ...args), stale.slice(0, args[3] as number)),
    dueForRecompute: async (_m: EntityManager, ...args: unknown[]) => (log('dueForRecompute', ...args), due.slice(0, args[1] as number)),
    scheduleRecompute: async (_m: EntityManager, ...args: unknown[]) => log('scheduleRecompute', ...args),
    currentForUpdate: async (_m: EntityManager, ...args: unknown[]) => (log('currentForUpdate', ...args), []),
    standings: async () => new Map(),
    sanctions: async () => new Map(),
    save: async (_m: EntityManager, ...args: unknown[]) => log('save', ...args),
  } as unknown as CreditClassRepository;
  const decisions = { saveFeedRecords: async () => undefined } as unknown as DecisionRepository;
  const commitments: CommitmentStanding = { countsFor: async () => new Map() };
  return { service: new CreditClassService(catalogue, classes, decisions, commitments), calls };
}

const enterprise = (n: number): Subject => ({ idType: 'USCC', id: `9151080200000000${String(n).padStart(2, '0')}`, kind: 'enterprise' });
const NOW = new Date('2026-03-01T02:00:00Z');

describe('the class sweep', () => {
  it('recomputes the subjects due by time first, so a long model-version sweep never starves them; the version sweep fills what is left', async () => {
    const due = [enterprise(1)];
    const stale = [enterprise(2), enterprise(3), enterprise(4), enterprise(5)];
    const { service, calls } = serviceWith({ stale, due });
    expect(await service.sweep({} as EntityManager, NOW, 3)).toBe(3);
    const saved = (calls.find((c) => c.name === 'save')!.args[0] as { subjectId: string; causeKey: string }[]).map((w) => `${w.subjectId} ${w.causeKey}`);
    expect(saved).toEqual([`${due[0].id} time/2026-03-01`, `${stale[0].id} model-revision/m/sha256:1`, `${stale[1].id} model-revision/m/sha256:1`]);
    expect(calls.find((c) => c.name === 'classifiedUnderOlderVersion')!.args[3]).toBe(2);
  });

  it('recomputes a subject both due and of an older version once, as due', async () => {
    const both = enterprise(1);
    const { service, calls } = serviceWith({ stale: [both, enterprise(2)], due: [both] });
    expect(await service.sweep({} as EntityManager, NOW, 10)).toBe(2);
    const saved = (calls.find((c) => c.name === 'save')!.args[0] as { subjectId: string; causeKey: string }[]).map((w) => `${w.subjectId} ${w.causeKey}`);
    expect(saved).toEqual([`${both.id} time/2026-03-01`, `${enterprise(2).id} model-revision/m/sha256:1`]);
  });

  it('locks the class rows in the one order (currentForUpdate) before it writes any of them, and clears the date of a subject no model classifies any more', async () => {
    const gone: Subject = { idType: 'USCC', id: '915108020000000099', kind: 'social-organisation' }; // the model classifies enterprises only
    const { service, calls } = serviceWith({ due: [enterprise(1), gone] });
    await service.sweep({} as EntityManager, NOW, 10);
    const names = calls.map((c) => c.name);
    const locked = names.indexOf('currentForUpdate');
    expect(locked).toBeGreaterThanOrEqual(0);
    // Nothing writes class rows before they are locked in order: an UPDATE first would lock them in its own order (a deadlock with an event's recompute).
    expect(names.slice(0, locked).filter((n) => n === 'scheduleRecompute' || n === 'save')).toEqual([]);
    const scheduled = calls.filter((c) => c.name === 'scheduleRecompute').flatMap((c) => c.args[0] as { id: string; dueOn: string | null }[]);
    expect(scheduled).toEqual(expect.arrayContaining([{ idType: 'USCC', id: gone.id, dueOn: null }, expect.objectContaining({ id: enterprise(1).id })]));
    expect(calls.filter((c) => c.name === 'scheduleRecompute')).toHaveLength(1);
  });
});
