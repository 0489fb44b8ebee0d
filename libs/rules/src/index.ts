export * from './memorandum';
export * from './instrument-catalogue';
export * from './rule-set';
export * from './rule-set.errors';
export * from './rule-set-loader';
export * from './legality-check';
export * from './credit-facts';
export * from './calendar-days';
export * from './rule-match';
export * from './json-rules-engine.evaluator';
export * from './decision-plan';
export * from './decision-planner';
export * from './deterministic-id';
export * from './credit-event-evaluation';
export * from './rule-cases';
export * from './compiled.evaluator';
// Seeded realistic events for differential tests and benchmarks (pure, no I/O).
export * from './testing/credit-event.generator';
