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
  if (trigger.kind === 'rollback' || event.data.waitsFor.length > 0) return [];
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
        // A push builds exactly the commit that was pushed, not whatever the branch points at by now.
        source: spec.source.kind === 'git' && trigger.kind === 'push' ? { ...spec.source, ref: trigger.commitSha } : spec.source,
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
