// Loading: rule files, their legality, the instrument catalogue, the immutable rule set.
export * from './loader/memorandum';
export * from './loader/instrument-catalogue';
export * from './loader/rule-set';
export * from './loader/rule-set.errors';
export * from './loader/rule-set-loader';
export * from './loader/rule-content';
export * from './loader/legality-check';
export * from './dates/calendar-days';
// Evaluating: the facts of an event and the rules they match.
export * from './evaluation/credit-facts';
export * from './evaluation/rule-match';
export * from './evaluation/json-rules-engine.evaluator';
export * from './evaluation/compiled/compiled-rule.evaluator';
// Planning: what the matches decide, and for whom.
export * from './planning/limitation';
export * from './planning/decision-plan';
export * from './planning/decision-planner';
export * from './planning/deterministic-id';
export * from './planning/conduct-key';
export * from './planning/credit-event-evaluation';
export * from './rule-cases';
// Checking rule files for policy staff (rules:check, the console): focused problems and coverage warnings.
export * from './loader/lint/did-you-mean';
export * from './loader/lint/condition-findings';
export * from './checking/rule-coverage';
export * from './checking/rule-check';
export * from './releases/release.errors';
export * from './what-if/what-if.errors';
export * from './releases/release-approval';
export * from './releases/rule-content-diff';
export * from './describe/rule-description';
// Credit classes (信用分类): models kept like memoranda in rules/classes, evaluated with json-rules-engine.
export * from './classes/credit-class-model';
export * from './classes/credit-class-model-loader';
export * from './classes/credit-class.evaluator';
export * from './classes/credit-class-cases';
// Industry self-discipline: associations' sanctions within their publicity period.
export * from './self-discipline/self-discipline-record';
