import type { RuleBase } from './api';
import { useLanguage } from './i18n';

/** Which rule set in force a page's rules are taken from: a release ("基于发布版本 3") or the rules/ directory. */
export function RuleBaseNote({ base, testId }: { base: RuleBase; testId: string }) {
  const { t } = useLanguage();
  return (
    <span className="rule-base" data-testid={testId} data-release={base.release ?? ''} title={base.revision}>
      {base.release === null ? t.basedOnRulesDir : `${t.basedOnRelease} ${base.release}`}
    </span>
  );
}
