// One jest run, three levels chosen by file name (*.unit|int|e2e.spec.ts).
// Integration and end-to-end tests talk to the real servers that infra/scripts/up.sh starts.
// Import aliases come from tsconfig.base.json, the one place they are declared.
const { paths } = require('./tsconfig.base.json').compilerOptions;

const moduleNameMapper = Object.fromEntries(
  Object.entries(paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

// Console component tests: TSX with React's automatic runtime; they ask for jsdom in their docblock.
const swcReact = { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } } };

const level = (name) => ({
  displayName: name,
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: [`<rootDir>/{proto,libs,services,gateway,bench,infra}/**/*.${name}.spec.ts`, `<rootDir>/web/src/**/*.${name}.spec.tsx`],
  transform: { '^.+\\.ts$': ['@swc/jest', swc], '^.+\\.tsx$': ['@swc/jest', swcReact] },
  moduleNameMapper,
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-timeouts.ts'],
});

module.exports = {
  projects: [level('unit'), level('int'), level('e2e')],
  globalTeardown: '<rootDir>/infra/platform/jest-leak-report.cjs',
};
