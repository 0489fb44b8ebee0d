// Two layers share one run: fast unit specs next to the code, and integration /
// end-to-end specs under test/ that talk to real PostgreSQL (and Kafka when started).
const swc = ['@swc/jest', {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
}];
const moduleNameMapper = {
  '^@app/(domain|rules|decision-log|config|persistence|messaging|engine|query|exchange|http|policy|workbench)$': '<rootDir>/libs/$1/src',
  '^@app/rules/testing$': '<rootDir>/libs/rules/src/testing',
  // The workspace package, from its sources (npm links it into node_modules too).
  '^@credit-engine/client$': '<rootDir>/packages/client/src',
};
const common = { transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node', rootDir: __dirname };

module.exports = {
  // Read from the top level only: integration specs start apps, brokers and databases.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/rules/**/*.spec.ts', '<rootDir>/test/architecture/**/*.spec.ts', '<rootDir>/test/differential/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.spec.ts', '<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/kafka/**/*.e2e-spec.ts', '<rootDir>/test/browser/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
