// @app/rules/testing: seeded events and rule-set variants for specs, test/ and bench/ only
// (the architecture test refuses it elsewhere), so no app ships a test-data generator.
export * from './credit-event.generator';
