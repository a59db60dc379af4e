import { DomainError } from '@slipway/messaging';
import { dependencyOrder } from '../compose/dependency-order';

/** A service of the project as the dependency rules see it. */
export interface DependencyService {
  serviceId: string;
  name: string;
  dependsOn: readonly string[];
}

/**
 * The dependencies a service is given, checked against its project: each must be another service
 * of the same project (an id from elsewhere is as unknown as one that never was), and together
 * they must not form a cycle, which is named service by service ("web → api → web"). Returns the
 * list without repeats, in the order given.
 */
export const checkDependencies = (
  project: { name: string; services: readonly DependencyService[] },
  service: { serviceId: string; name: string },
  dependsOn: readonly string[],
  field: string,
): string[] => {
  const wanted = [...new Set(dependsOn)];
  const names = new Map(project.services.map((s) => [s.serviceId, s.name]));
  for (const id of wanted) {
    if (id === service.serviceId) throw new DomainError('DEPENDENCY_ON_ITSELF', `Service ${service.name} cannot depend on itself`, field);
    if (!names.has(id)) {
      throw new DomainError('DEPENDENCY_NOT_FOUND', `Service ${service.name} cannot depend on ${id}: project ${project.name} has no such service`, field);
    }
  }
  const others = project.services.filter((s) => s.serviceId !== service.serviceId);
  // The changed service first, so the cycle is named from it.
  const nodes = [{ ...service, dependsOn: wanted }, ...others].map((s) => ({
    name: s.name,
    dependencies: s.dependsOn.filter((id) => names.has(id) || id === service.serviceId).map((id) => ({ service: names.get(id) ?? service.name })),
  }));
  const order = dependencyOrder(nodes);
  if (!order.ok && order.reason === 'cycle') {
    throw new DomainError('DEPENDENCY_CYCLE', `Service ${service.name} cannot depend on those services: they would wait for each other in a cycle (${order.cycle.join(' → ')})`, field);
  }
  return wanted;
};

/** Whoever depends on a service: it may not be deleted while they do. */
export const refuseDeletingDependency = (services: readonly DependencyService[], serviceId: string, name: string): void => {
  const dependents = services.filter((s) => s.serviceId !== serviceId && s.dependsOn.includes(serviceId)).map((s) => s.name);
  if (dependents.length === 0) return;
  throw new DomainError(
    'SERVICE_HAS_DEPENDENTS',
    `Service ${name} cannot be deleted: ${dependents.join(', ')} ${dependents.length === 1 ? 'depends' : 'depend'} on it. Remove it from their dependencies first, or delete the project`,
    'serviceId',
  );
};
