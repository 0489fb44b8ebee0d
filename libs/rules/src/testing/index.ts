// @app/rules/testing: seeded events and rule-set variants for specs, test/ and bench/ only
// (the architecture test refuses it elsewhere), so no app ships a test-data generator.
export * from './credit-event.generator';
// GoRules Zen, the rule benchmark's peer: the translation of a rule set and its evaluator.
export * from './zen/zen-decision-model';
export * from './zen/zen-rule.evaluator';
