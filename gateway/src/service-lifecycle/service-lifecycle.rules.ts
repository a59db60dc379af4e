import { onProject, projectArg, projectOfDeployment, projectOfService, type OperationRules } from '../auth/operation-rules';

/**
 * One rule per root operation of serviceLifecycleTypeDefs. Restarting and cancelling are a
 * developer's, as deploying is; what takes an app offline, changes its size or removes it is an
 * admin's, as changing its settings is; deleting the whole project is its owner's.
 */
export const serviceLifecycleRules: OperationRules = {
  'Mutation.restartService': onProject('deploy', projectOfService('id')),
  'Mutation.cancelDeployment': onProject('deploy', projectOfDeployment('id')),
  'Mutation.stopService': onProject('manage-services', projectOfService('id')),
  'Mutation.startService': onProject('manage-services', projectOfService('id')),
  'Mutation.scaleService': onProject('manage-services', projectOfService('id')),
  'Mutation.deleteService': onProject('manage-services', projectOfService('id')),
  'Mutation.deleteProject': onProject('manage-project', projectArg('id')),
};
