import { normalizeRepositoryUrl, type DeploymentRequested, type EventData } from '@slipway/proto';
import { derivedDeploymentId, planProjectDeployment } from '../deployment/project-deployment';
import { deploymentTarget, type CatalogProject } from '../deployment/service-catalog';
import type { EnvVarsByKey } from '../deployment/deployment-env';

type Request = Omit<EventData<typeof DeploymentRequested>, 'requestedAt'>;

/** What deploy needs to know of a preview (folded from its stream in preview-state.ts). */
export interface PreviewTarget {
  previewId: string;
  projectId: string;
  slug: string;
  repositoryUrl: string;
  /** The commit to build, or the branch for a manual preview. */
  ref: string;
}

/** Services built from the preview's repository are built at its head; the others run their current image. */
export const builtFromPreview = (project: CatalogProject, serviceId: string, repositoryUrl: string): boolean => {
  const source = project.services.get(serviceId)?.spec.source;
  return source?.kind === 'git' && normalizeRepositoryUrl(source.url) === normalizeRepositoryUrl(repositoryUrl);
};

/**
 * The deployments that bring a preview up: every running service of the project as a copy (see
 * proto's preview-names.ts), in dependency order like deployProject. A copy of a service built
 * from the preview's repository is built at the preview's ref; any other runs the image its
 * production service runs now (`currentImages`), or, never deployed, is built from its source.
 * `only` (a new head commit) limits it to the services built from the repository, which wait for nothing.
 */
export const planPreviewDeployments = (
  project: CatalogProject,
  globalEnv: EnvVarsByKey,
  preview: PreviewTarget,
  currentImages: ReadonlyMap<string, string>,
  cause: string,
  only?: 'built-from-repository',
): Request[] => {
  const plan = planProjectDeployment(project, preview.projectId, cause);
  const fromRepo = (serviceId: string) => builtFromPreview(project, serviceId, preview.repositoryUrl);
  const chosen = only ? plan.filter((p) => fromRepo(p.serviceId)) : plan;
  return chosen.map((planned) => {
    const target = deploymentTarget(project, globalEnv, preview.projectId, planned.serviceId, { slug: preview.slug });
    const image = fromRepo(planned.serviceId) ? undefined : currentImages.get(planned.serviceId);
    const trigger = {
      kind: 'preview' as const,
      previewId: preview.previewId,
      slug: preview.slug,
      ...(fromRepo(planned.serviceId) ? { ref: preview.ref } : {}),
      ...(image ? { imageRef: image } : {}),
    };
    const own = only ? { waitsFor: [], dependents: [], deploymentId: derivedDeploymentId(cause, planned.serviceId) } : planned;
    return { ...own, serviceId: planned.serviceId, projectId: preview.projectId, ...target, trigger };
  });
};
