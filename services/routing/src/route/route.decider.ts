import { assertNever, type Decider } from '@slipway/event-store';
import type { CertificateFailed, CertificateIssued, EventData, RouteActivated, RouteAssigned, RouteRemoved, RouteSuspended } from '@slipway/proto';

export type RouteCommand =
  | { type: 'AssignRoute'; data: EventData<typeof RouteAssigned> }
  | { type: 'ActivateRoute'; data: EventData<typeof RouteActivated> }
  | { type: 'RecordCertificate'; data: EventData<typeof CertificateIssued> }
  | { type: 'RecordCertificateFailure'; data: EventData<typeof CertificateFailed> }
  | { type: 'SuspendRoute'; data: EventData<typeof RouteSuspended> }
  | { type: 'ResumeRoute'; data: { routeId: string } }
  | { type: 'RemoveRoute'; data: { routeId: string } };

export type RouteEvent =
  | { type: 'RouteAssigned'; data: EventData<typeof RouteAssigned> }
  | { type: 'RouteActivated'; data: EventData<typeof RouteActivated> }
  | { type: 'CertificateIssued'; data: EventData<typeof CertificateIssued> }
  | { type: 'CertificateFailed'; data: EventData<typeof CertificateFailed> }
  | { type: 'RouteSuspended'; data: EventData<typeof RouteSuspended> }
  | { type: 'RouteResumed'; data: { routeId: string } }
  | { type: 'RouteRemoved'; data: EventData<typeof RouteRemoved> };

/** Per hostname: served until `notAfter`, or failing since `failedAt` (a pending one has no entry). */
export type CertificateState = { notAfter: string; issuer: string } | { failure: string; failedAt: string };

/** `suspended`: since when its service is stopped (its hostnames show a "stopped" page); `removed`: its service is deleted. */
export type RouteState = {
  assigned?: EventData<typeof RouteAssigned>;
  suspended?: string;
  removed?: boolean;
  activeDeploymentId?: string;
  certificates: Record<string, CertificateState>;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** One route per service. Assigning what is already assigned, or activating twice, says nothing new. */
export const routeDecider: Decider<RouteCommand, RouteEvent, RouteState> = {
  initialState: { certificates: {} },
  decide: (command, state) => {
    switch (command.type) {
      case 'AssignRoute':
        // A deleted service's route never comes back (a roll-out that raced the deletion).
        return state.removed || same(state.assigned, command.data) ? [] : [{ type: 'RouteAssigned', data: command.data }];
      case 'ActivateRoute':
        return state.activeDeploymentId === command.data.deploymentId ? [] : [{ type: 'RouteActivated', data: command.data }];
      case 'RecordCertificate':
        // Recorded when first seen and when renewed (a new expiry), not on every deployment.
        return (state.certificates[command.data.hostname] as { notAfter?: string } | undefined)?.notAfter === command.data.notAfter
          ? []
          : [{ type: 'CertificateIssued', data: command.data }];
      case 'RecordCertificateFailure':
        // A failure is news once; the same reason again is not (the watch keeps looking).
        return (state.certificates[command.data.hostname] as { failure?: string } | undefined)?.failure === command.data.reason
          ? []
          : [{ type: 'CertificateFailed', data: command.data }];
      // A service never rolled out has no route: nothing to suspend, resume or remove.
      case 'SuspendRoute':
        return !state.assigned || state.suspended ? [] : [{ type: 'RouteSuspended', data: command.data }];
      case 'ResumeRoute':
        return state.assigned && state.suspended ? [{ type: 'RouteResumed', data: command.data }] : [];
      case 'RemoveRoute':
        return state.assigned ? [{ type: 'RouteRemoved', data: { routeId: command.data.routeId, hostnames: state.assigned.hostnames } }] : [];
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'RouteAssigned':
        return { ...state, assigned: event.data };
      case 'RouteActivated':
        return { ...state, activeDeploymentId: event.data.deploymentId };
      case 'CertificateIssued':
        return { ...state, certificates: { ...state.certificates, [event.data.hostname]: { notAfter: event.data.notAfter, issuer: event.data.issuer } } };
      case 'CertificateFailed':
        return { ...state, certificates: { ...state.certificates, [event.data.hostname]: { failure: event.data.reason, failedAt: event.data.failedAt } } };
      case 'RouteSuspended':
        return { ...state, suspended: event.data.since };
      case 'RouteResumed':
        return { ...state, suspended: undefined };
      case 'RouteRemoved':
        return { certificates: {}, removed: true };
      default:
        return assertNever(event);
    }
  },
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
