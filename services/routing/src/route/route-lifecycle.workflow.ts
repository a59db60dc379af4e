import type { DomainEvent } from '@slipway/event-store';
import type { RouteCommand } from './route.decider';

/**
 * A service's lifecycle, as its route follows it: stopped → the stopped page (certificates kept),
 * started → its tasks again, deleted → gone. The route id is the service id.
 */
export const routeOnServiceLifecycle = (event: DomainEvent): RouteCommand[] => {
  const routeId = String(event.data.serviceId);
  switch (event.type) {
    case 'ServiceStopped':
      return [{ type: 'SuspendRoute', data: { routeId, since: String(event.data.stoppedAt) } }];
    case 'ServiceStarted':
      return [{ type: 'ResumeRoute', data: { routeId } }];
    case 'ServiceDeleted':
      return [{ type: 'RemoveRoute', data: { routeId } }];
    default:
      return [];
  }
};
