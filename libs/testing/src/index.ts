export * from './infra-env';
export * from './given-when-then';
export * from './platform-process';
export * from './e2e/graphql-client.fixture';
export * from './e2e/https-client.fixture';
export * from './e2e/git-repo.fixture';
export * from './e2e/test-app-image.fixture';
export * from './service-spec.fixture';
