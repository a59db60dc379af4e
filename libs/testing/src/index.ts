export * from './infra-env';
export * from './given-when-then';
export * from './platform-process';
