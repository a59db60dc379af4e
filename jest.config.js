// One jest run, three levels chosen by file name (*.unit|int|e2e.spec.ts).
// Integration and end-to-end tests talk to the real servers that infra/scripts/up.sh starts.
const { readFileSync } = require('node:fs');
const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));

const moduleNameMapper = {
  '^@slipway/proto$': '<rootDir>/proto/src/index.ts',
  '^@slipway/event-store$': '<rootDir>/libs/event-store/src/index.ts',
  '^@slipway/messaging$': '<rootDir>/libs/messaging/src/index.ts',
  '^@slipway/testing$': '<rootDir>/libs/testing/src/index.ts',
};

const level = (name) => ({
  displayName: name,
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: [`<rootDir>/{proto,libs,services,gateway,bench,infra}/**/*.${name}.spec.ts`],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false, sourceMaps: 'inline' }] },
  moduleNameMapper,
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-timeouts.ts'],
});

module.exports = {
  projects: [level('unit'), level('int'), level('e2e')],
};
