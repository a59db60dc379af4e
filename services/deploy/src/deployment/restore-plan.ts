import type { KnownDeployment, PlatformState } from '../cleanup/platform-state';

/** What a restored instance runs again: a service, and the deployment whose image it ran last. */
export interface ServiceToRestore {
  projectId: string;
  serviceId: string;
  deploymentId: string;
  imageRef: string;
}

/**
 * Every running service of every live project, with its last successful deployment: not the
 * services that were stopped or deleted, not preview copies (their previews deploy them again
 * when the pull request moves), and not a service that never deployed successfully.
 */
export const servicesToRestore = (state: PlatformState): ServiceToRestore[] => {
  const last = new Map<string, KnownDeployment>();
  for (const d of state.deployments) {
    if (d.status !== 'succeeded' || d.previewId || !d.imageRef) continue;
    const held = last.get(d.serviceId);
    if (!held || (d.endedAt ?? '') >= (held.endedAt ?? '')) last.set(d.serviceId, d);
  }
  return [...last.values()]
    .filter((d) => {
      const project = state.projects.get(d.projectId);
      const service = project?.services.get(d.serviceId);
      return project && !project.deleted && service && !service.stopped;
    })
    .map(({ projectId, serviceId, deploymentId, imageRef }) => ({ projectId, serviceId, deploymentId, imageRef: imageRef! }));
};
