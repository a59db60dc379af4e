import { assertNever, type Decider } from '@slipway/event-store';
import type { EventData, RouteActivated, RouteAssigned } from '@slipway/proto';

export type RouteCommand =
  | { type: 'AssignRoute'; data: EventData<typeof RouteAssigned> }
  | { type: 'ActivateRoute'; data: EventData<typeof RouteActivated> };

export type RouteEvent =
  | { type: 'RouteAssigned'; data: EventData<typeof RouteAssigned> }
  | { type: 'RouteActivated'; data: EventData<typeof RouteActivated> };

export type RouteState = { assigned?: EventData<typeof RouteAssigned>; activeDeploymentId?: string };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One route per service. Assigning what is already assigned, or activating twice, says nothing new. */
export const routeDecider: Decider<RouteCommand, RouteEvent, RouteState> = {
  initialState: {},
  decide: (command, state) => {
    switch (command.type) {
      case 'AssignRoute':
        return same(state.assigned, command.data) ? [] : [{ type: 'RouteAssigned', data: command.data }];
      case 'ActivateRoute':
        return state.activeDeploymentId === command.data.deploymentId ? [] : [{ type: 'RouteActivated', data: command.data }];
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) =>
    event.type === 'RouteAssigned' ? { ...state, assigned: event.data } : { ...state, activeDeploymentId: event.data.deploymentId },
};

/**
 * The hostnames of a service: `<service>-<project>.<base domain>` first (its URL), then its custom
 * domains. A DNS label is at most 63 characters, so a long pair is cut and keeps a hash to stay unique.
 */
export const serviceHostnames = (serviceName: string, projectName: string, baseDomain: string, domains: string[]): string[] => {
  let label = `${serviceName}-${projectName}`;
  if (label.length > 63) {
    let hash = 0;
    for (const ch of label) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    label = `${label.slice(0, 54).replace(/-+$/, '')}-${hash.toString(36).slice(0, 8)}`;
  }
  return [`${label}.${baseDomain}`, ...domains.filter((d) => d !== `${label}.${baseDomain}`)];
};
