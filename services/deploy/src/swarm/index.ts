export { rollOut, removeService, type RolloutResult, type RolloutOptions } from './swarm-rollout.adapter';
export { buildSwarmServiceSpec, type RolloutRequest, type RunnableSpec } from './swarm-service-spec.builder';
export { healthCheckTest } from './health-check.config';
export { defaultEnvExecPath, removeUnusedSecrets, type KeepSecretsOf, type SecretEnvSupport } from './swarm-secrets.adapter';
export { registryImageProcessReader, type ImageProcessReader, type RegistryCredentials } from './registry-image-config.adapter';
export type { RunnableEnvVar } from './secret-env.plan';
