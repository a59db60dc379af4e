export * from './compose-plan';
export { parseCompose, type ParseComposeOptions } from './parse-compose';
export { mergeEnvironment, readEnvFile, type MergedEnvironment } from './compose-env-file';
export { reconcileCompose, type ComposeReconciliation, type PlanChange } from './compose-reconcile';
export { dependencyOrder, type DependencyOrder, type DependencyNode } from './dependency-order';
export { interpolate } from './compose-interpolation';
