import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { dnsLabel, id, timestamp } from './common';
import { hostname, serviceSpec } from './service-spec';

/**
 * A service's life after creation, decided by the project service on the project's stream: the
 * desired state (running or stopped, how many replicas, restarted when, deleted). The deploy
 * service makes Swarm match it, the routing service the edge; the history stays.
 */
const inProject = { context: 'project', aggregate: 'project' } as const;
const replicas = serviceSpec.shape.replicas;

/** The service's name (and so its hostname and Swarm service) from the next deployment on. */
export const ServiceRenamed = defineEvent('ServiceRenamed', inProject, z.object({ projectId: id, serviceId: id, name: dnsLabel, previousName: dnsLabel }));

/** Replicas to 0 now; its hostnames answer with a "stopped" page until it is started again. */
export const ServiceStopped = defineEvent('ServiceStopped', inProject, z.object({ projectId: id, serviceId: id, stoppedAt: timestamp }));

/** Back to its replicas, on the image it ran before it was stopped. */
export const ServiceStarted = defineEvent('ServiceStarted', inProject, z.object({ projectId: id, serviceId: id, replicas, startedAt: timestamp }));

/** New tasks on the same image, started before the old ones stop. */
export const ServiceRestarted = defineEvent('ServiceRestarted', inProject, z.object({ projectId: id, serviceId: id, requestedAt: timestamp }));

/** How many replicas run, now and for the deployments after it (no rebuild). */
export const ServiceScaled = defineEvent('ServiceScaled', inProject, z.object({ projectId: id, serviceId: id, replicas, previousReplicas: replicas }));

/**
 * Gone from the catalog: its Swarm service, route, certificates, registry tags and build caches are
 * removed by the services that own them. `deleteVolumes`: its volumes too (kept otherwise).
 */
export const ServiceDeleted = defineEvent(
  'ServiceDeleted',
  inProject,
  z.object({
    projectId: id,
    serviceId: id,
    name: dnsLabel,
    projectName: dnsLabel,
    domains: z.array(hostname).max(50),
    deleteVolumes: z.boolean(),
    deletedAt: timestamp,
  }),
);

/** The project and every service in it (each also has its ServiceDeleted); its name is free again. */
export const ProjectDeleted = defineEvent(
  'ProjectDeleted',
  inProject,
  z.object({ projectId: id, name: dnsLabel, serviceIds: z.array(id).max(1_000), deleteVolumes: z.boolean(), deletedAt: timestamp }),
);

/** A deleted project's name, free for a new project. */
export const ProjectNameReleased = defineEvent(
  'ProjectNameReleased',
  { context: 'project', aggregate: 'project-name' },
  z.object({ name: dnsLabel, projectId: id }),
);

export const lifecycleEvents = [
  ServiceRenamed,
  ServiceStopped,
  ServiceStarted,
  ServiceRestarted,
  ServiceScaled,
  ServiceDeleted,
  ProjectDeleted,
  ProjectNameReleased,
] as const;
