import { resolve } from 'node:path';
import { readRuleContent, ruleContentRevision } from './rule-content';
import { loadRuleSet } from './rule-set-loader';

// A release draft is refused as "no change" by comparing revisions without building the set: the two must agree.
describe('ruleContentRevision', () => {
  const rulesDir = resolve(__dirname, '../../../../rules');
  const content = readRuleContent(rulesDir);

  it('is the revision the rule set built from the same content has', () => {
    expect(ruleContentRevision(content)).toBe(loadRuleSet(rulesDir).revision);
  });

  it('changes with one character of one file, and not with the order the files are held in', () => {
    const [first, ...others] = Object.keys(content.memoranda);
    const edited = { ...content, memoranda: { ...content.memoranda, [first]: content.memoranda[first].replace('"version": "', '"version": "x') } };
    expect(ruleContentRevision(edited)).not.toBe(ruleContentRevision(content));
    const reordered = { ...content, memoranda: Object.fromEntries([...others, first].map((name) => [name, content.memoranda[name]])) };
    expect(ruleContentRevision(reordered)).toBe(ruleContentRevision(content));
  });
});
