/**
 * The reliability suite (`npm run test:reliability`): the real server killed mid-stream,
 * a corpus of hostile inputs through the real endpoints. One file at a time, since the
 * kill -9 rounds time their own processes. The soak is a separate script (`npm run soak`).
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/reliability'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 120000,
  maxWorkers: 1,
};
