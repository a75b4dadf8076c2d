/**
 * Two projects: unit tests of each package (pure, in-process, run in
 * parallel) and scenarios with real child processes (run one file at a time:
 * their timing assertions must not compete with each other for 2 cores).
 */
const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  // Marks every process of this run (see test/helpers/run-marker.mjs).
  globalSetup: '<rootDir>/test/helpers/global-setup.mjs',
  // Scenario tests start real processes; a generous ceiling, while each test awaits events, not time.
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/packages/*/test/**/*.test.ts'] },
    {
      ...common,
      displayName: 'scenarios',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      // A failed test can leave workers running; their children would keep jest from exiting.
      setupFilesAfterEnv: ['<rootDir>/test/helpers/stop-leftovers.ts'],
    },
  ],
};
