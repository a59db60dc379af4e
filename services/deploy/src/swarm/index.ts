export { rollOut, removeService, type RolloutResult, type RolloutOptions } from './swarm-rollout.adapter';
export { buildSwarmServiceSpec, healthCheckTest, type RolloutRequest, type RunnableSpec } from './swarm-service-spec.builder';
