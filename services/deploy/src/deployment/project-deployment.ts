import { createHash } from 'node:crypto';
import { DomainError } from '@slipway/messaging';
import type { CatalogProject } from './service-catalog';

/** One deployment of a deployProject: what it waits for and who waits for it. */
export interface PlannedDeployment {
  serviceId: string;
  deploymentId: string;
  waitsFor: { deploymentId: string; serviceId: string; serviceName: string }[];
  dependents: string[];
}

/**
 * A deployment id derived from what caused it (the command, or the deployment that cascades), so a
 * redelivered command or event asks for the same deployments again and appends nothing twice.
 */
export const derivedDeploymentId = (cause: string, serviceId: string): string =>
  `d_${createHash('sha256').update(`${cause}/${serviceId}`).digest('hex').slice(0, 26)}`;

const running = (project: CatalogProject) => [...project.services.entries()].filter(([, s]) => !s.stopped);

/**
 * Every running service of the project, each waiting for the deployments of the services it depends
 * on (those that run: a stopped dependency is not deployed, and not waited for). Waiting ones come
 * first, so when the first deployment ends, every deployment that waits for it already exists.
 * Cycles are refused when dependencies are set (project service); one that slipped in would wait
 * until its deadline, never forever.
 */
export const planProjectDeployment = (project: CatalogProject, projectId: string, cause: string): PlannedDeployment[] => {
  if (!project.name) throw new DomainError('PROJECT_NOT_FOUND', `No project ${projectId}`, 'projectId');
  if (project.deleted) throw new DomainError('PROJECT_DELETED', `Project ${project.name} was deleted`, 'projectId');
  const services = running(project);
  if (services.length === 0) {
    throw new DomainError('NOTHING_TO_DEPLOY', `Project ${project.name} has no running service to deploy: create or start one first`, 'projectId');
  }
  const idOf = new Map(services.map(([serviceId]) => [serviceId, derivedDeploymentId(cause, serviceId)]));
  const plan = services.map(([serviceId, service]): PlannedDeployment => ({
    serviceId,
    deploymentId: idOf.get(serviceId)!,
    waitsFor: (service.spec.dependsOn ?? [])
      .filter((dep) => idOf.has(dep))
      .map((dep) => ({ deploymentId: idOf.get(dep)!, serviceId: dep, serviceName: project.services.get(dep)!.name })),
    dependents: services.filter(([, other]) => other.spec.dependsOn?.includes(serviceId)).map(([other]) => idOf.get(other)!),
  }));
  return [...plan.filter((p) => p.waitsFor.length > 0), ...plan.filter((p) => p.waitsFor.length === 0)];
};

/** The running services that depend on this one: a cascade redeploys them. */
export const cascadeTargets = (project: CatalogProject, serviceId: string): string[] =>
  project.deleted ? [] : running(project).filter(([, s]) => s.spec.dependsOn?.includes(serviceId)).map(([id]) => id);
