import { instanceOwner, onProject, projectArg, projectOfService, type OperationRules, type ProjectRef } from '../auth/operation-rules';
import { badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';

type Args = Record<string, unknown>;

/** A variable's level is the service's when a serviceId is given, else the project's. */
const projectOfEnvLevel =
  (path?: 'input') =>
  (args: Args, ctx: GatewayContext): Promise<ProjectRef> => {
    const at = (path ? args[path] : args) as Args | undefined;
    const prefix = path ? `${path}.` : '';
    if (at?.serviceId && at.projectId) return Promise.reject(badInput('give either serviceId (the service\'s level) or projectId (the project\'s), not both', `${prefix}serviceId`));
    if (at?.serviceId) return projectOfService(`${prefix}serviceId`)(args, ctx);
    if (at?.projectId) return projectArg(`${prefix}projectId`)(args, ctx);
    return Promise.reject(badInput('give serviceId (the service\'s level) or projectId (the project\'s)', `${prefix}serviceId`));
  };

/** One rule per root operation of serviceSettingsTypeDefs. */
export const serviceSettingsRules: OperationRules = {
  'Query.envVars': onProject('read', projectOfEnvLevel()),
  'Query.globalEnvVars': instanceOwner('see global env vars'),
  'Mutation.setEnvVar': onProject('manage-env', projectOfEnvLevel('input')),
  'Mutation.deleteEnvVar': onProject('manage-env', projectOfEnvLevel('input')),
  'Mutation.setGlobalEnvVar': instanceOwner('change global env vars'),
  'Mutation.deleteGlobalEnvVar': instanceOwner('change global env vars'),
  'Mutation.addDomain': onProject('manage-domains', projectOfService('serviceId')),
  'Mutation.removeDomain': onProject('manage-domains', projectOfService('serviceId')),
  'Mutation.updateServiceSettings': onProject('manage-services', projectOfService('serviceId')),
  'Mutation.updateService': onProject('manage-services', projectOfService('id')),
};
