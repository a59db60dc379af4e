export { rollOut, removeService, type RolloutResult, type RolloutOptions } from './swarm-rollout.adapter';
export { buildSwarmServiceSpec, healthCheckTest, type RolloutRequest } from './swarm-service-spec.builder';
