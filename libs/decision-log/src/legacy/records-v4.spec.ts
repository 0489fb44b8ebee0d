import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedDecision } from '@app/rules';
import type { MemorandumHeading } from '../decision-issued.record';
import type { LifecycleChangeFact } from '../lifecycle.record';
import { decisionIssuedPayloadV4, IssuableDecisionV4, lifecyclePayloadsV4 } from './records-v4';

/** Records rendered by the version-4 builders at commit 7baedcf, with the decisions and the change they were rendered from. */
interface Fixture {
  issuedAt: string;
  memoranda: Record<string, MemorandumHeading>;
  decisions: PlannedDecision[];
  issued: { department: string; decisionId: string }[];
  change: LifecycleChangeFact;
  lifecycle: { department: string }[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../test/fixtures/records-v4.json'), 'utf8')) as Fixture;

/** A planned decision as version 4 read it back from storage. */
function asStoredV4(decision: PlannedDecision): IssuableDecisionV4 {
  return { ...decision, measureTasks: decision.measureTasks.map((t) => ({ ...t, explanation: { rule: { name: t.explanation.rule.name }, facts: t.explanation.facts } })) };
}

describe('the frozen version-4 renderers', () => {
  it('give the decision.issued records version 4 gave, for every addressee', () => {
    expect(fixture.issued.length).toBeGreaterThan(10);
    const rendered = fixture.decisions.flatMap((d) => d.addressees.map((department) => JSON.parse(decisionIssuedPayloadV4(asStoredV4(d), fixture.memoranda[d.memorandumId], new Date(fixture.issuedAt), department)) as unknown));
    expect(rendered).toEqual(fixture.issued);
  });

  it('give the lifecycle records version 4 gave', () => {
    const payloads = lifecyclePayloadsV4(fixture.change);
    expect([...payloads.keys()]).toEqual(fixture.lifecycle.map((r) => r.department));
    expect([...payloads.values()].map((p) => JSON.parse(p) as unknown)).toEqual(fixture.lifecycle);
  });
});
