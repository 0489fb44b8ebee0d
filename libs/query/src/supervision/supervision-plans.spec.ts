import { SupervisionPlan } from './supervision-config';
import { classSupervisionOf } from './supervision-plans';

const PLAN: SupervisionPlan = {
  department: 'market-regulation',
  model: 'market-credit-class',
  frequency: 'quarter',
  classes: new Map([
    ['A', { inspectionRatio: 0.03, frequency: 'quarter' }],
    ['D', { inspectionRatio: 1, frequency: 'quarter' }],
  ]),
};

describe('classSupervisionOf', () => {
  it("gives the plan's ratio and frequency for a planned class", () => {
    expect(classSupervisionOf([PLAN], 'market-regulation', 'market-credit-class', 'D')).toEqual({ planned: true, inspectionRatio: 1, frequency: 'quarter', expectedInspectionsPerYear: 4 });
  });

  it('says the class is not in the plan, not that there is no plan, for a stale class', () => {
    expect(classSupervisionOf([PLAN], 'market-regulation', 'market-credit-class', 'E')).toEqual({ planned: false, reason: 'class-not-in-plan' });
  });

  it('is null only when the department has no plan for the model', () => {
    expect(classSupervisionOf([PLAN], 'finance', 'market-credit-class', 'D')).toBeNull();
    expect(classSupervisionOf([PLAN], 'market-regulation', 'tax-grade', 'D')).toBeNull();
  });
});
