import { aggregate } from '@slipway/event-store';
import { routeDecider } from './route.decider';

/** The route decider bound to its stream: platform.routing.events.route.<serviceId> (one route per service). */
export const routes = aggregate({
  decider: routeDecider,
  stream: (routeId) => ({ context: 'routing', aggregate: 'route', id: routeId }),
});
