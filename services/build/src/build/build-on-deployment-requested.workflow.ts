import type { DeploymentRequested, EventData } from '@slipway/proto';
import type { BuildCommand } from './build.decider';

/**
 * A requested deployment needs an image: one build per deployment, so the build id is the
 * deployment id. Rollbacks redeploy an earlier image and need no build. A deployment that waits for
 * its dependencies' deployments (deployProject) is built once it is released, not before.
 */
export const buildOnDeploymentRequested = (event: {
  type: 'DeploymentRequested';
  data: EventData<typeof DeploymentRequested>;
}): BuildCommand[] => {
  const { deploymentId, serviceId, projectId, projectName, serviceName, trigger, spec } = event.data;
  if (trigger.kind === 'rollback' || (trigger.kind === 'preview' && trigger.imageRef) || event.data.waitsFor.length > 0) return [];
  // A push builds exactly the commit that was pushed, not whatever the branch points at by now; a
  // preview copy of a service from the preview's repository, its head commit (or branch).
  const ref = trigger.kind === 'push' ? trigger.commitSha : trigger.kind === 'preview' ? trigger.ref : undefined;
  return [
    {
      type: 'RequestBuild',
      data: {
        buildId: deploymentId,
        deploymentId,
        serviceId,
        projectId,
        projectName,
        serviceName,
        source: spec.source.kind === 'git' && ref ? { ...spec.source, ref } : spec.source,
        dockerfilePath: spec.build.dockerfilePath,
        ...(spec.build.strategy ? { strategy: spec.build.strategy } : {}),
        ...(spec.build.context ? { context: spec.build.context } : {}),
        ...(spec.build.args && Object.keys(spec.build.args).length ? { args: spec.build.args } : {}),
      },
    },
  ];
};

/** Every deployment it waited for succeeded: build it now, as if it had just been requested. */
export const buildOnDeploymentReleased = (request: EventData<typeof DeploymentRequested>): BuildCommand[] =>
  buildOnDeploymentRequested({ type: 'DeploymentRequested', data: { ...request, waitsFor: [] } });
