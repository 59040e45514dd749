/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The reliability suite has its own config and script: npm run test:reliability.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/tests/reliability/'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 30000,
  maxWorkers: 2,
};
