import { aggregate, deriveEventId, type Decider, type EventStore, type StoredEvent } from '@slipway/event-store';
import { workflowMetadata } from '@slipway/messaging';
import type { CleanupItem, CleanupStarted, CommandMetadata, EventData, RoutingCleanupReported } from '@slipway/proto';
import { routeDecider } from '../route/route.decider';

type Report = EventData<typeof RoutingCleanupReported>;
export const CLEANUP_CONSUMER = 'routing-on-cleanup-started';

/** A route as the clean-up judges it. */
export interface RouteSeen {
  routeId: string;
  serviceId: string;
  previewId?: string;
  hostnames: string[];
}

/** What the project and preview services' events say lives now. */
export interface LiveCatalog {
  services: ReadonlySet<string>;
  previews: ReadonlyMap<string, boolean>;
  knowsProjects: boolean;
}

/** Routes whose service was deleted (or whose preview was torn down): the edge serves nothing there any more. */
export const planRouteRemovals = (routes: readonly RouteSeen[], live: LiveCatalog): (RouteSeen & { reason: string })[] => {
  // An event store that knows no project is the wrong one: every route would look orphaned.
  if (!live.knowsProjects) return [];
  return routes.flatMap((r) => {
    if (r.previewId) return live.previews.get(r.previewId) ? [] : [{ ...r, reason: `preview ${r.previewId} was torn down` }];
    return live.services.has(r.serviceId) ? [] : [{ ...r, reason: `service ${r.serviceId} no longer exists` }];
  });
};

export const loadLiveCatalog = async (store: EventStore): Promise<LiveCatalog> => {
  const services = new Set<string>();
  const byProject = new Map<string, Set<string>>();
  const projects = store.readAll({ context: 'project', aggregate: 'project' });
  const previewEvents = store.readAll({ context: 'preview', aggregate: 'preview' });
  let knowsProjects = false;
  for (const e of await projects) {
    const projectId = String(e.data.projectId ?? e.aggregateId);
    if (e.type === 'ProjectCreated') knowsProjects = true;
    if (e.type === 'ServiceCreated') {
      services.add(String(e.data.serviceId));
      byProject.set(projectId, (byProject.get(projectId) ?? new Set()).add(String(e.data.serviceId)));
    }
    if (e.type === 'ServiceDeleted') services.delete(String(e.data.serviceId));
    if (e.type === 'ProjectDeleted') for (const id of byProject.get(projectId) ?? []) services.delete(id);
  }
  const previews = new Map<string, boolean>();
  for (const e of await previewEvents) {
    if (e.type === 'PreviewRequested') previews.set(e.aggregateId, true);
    if (e.type === 'PreviewDestroyRequested' || e.type === 'PreviewDestroyed' || e.type === 'PreviewExpired') previews.set(e.aggregateId, false);
  }
  return { services, previews, knowsProjects };
};

/** Every route assigned and not removed, from the route streams (the truth Caddy's config is built from). */
export const loadRoutes = async (store: EventStore): Promise<RouteSeen[]> => {
  const states = new Map<string, ReturnType<typeof routeDecider.evolve>>();
  for (const e of await store.readAll({ context: 'routing', aggregate: 'route' })) {
    states.set(e.aggregateId, routeDecider.evolve(states.get(e.aggregateId) ?? routeDecider.initialState, e as never));
  }
  return [...states.entries()].flatMap(([routeId, s]) =>
    s.assigned && !s.removed ? [{ routeId, serviceId: s.assigned.serviceId, hostnames: s.assigned.hostnames, ...(s.assigned.previewId ? { previewId: s.assigned.previewId } : {}) }] : [],
  );
};

/** The routing part's report, once per run: platform.routing.events.cleanup.<runId>. */
const reportDecider: Decider<{ type: 'Report'; data: Report }, { type: 'RoutingCleanupReported'; data: Report }, { reported: boolean }> = {
  initialState: { reported: false },
  decide: (command, state) => (state.reported ? [] : [{ type: 'RoutingCleanupReported', data: command.data }]),
  evolve: () => ({ reported: true }),
};
export const routingCleanupReports = aggregate({ decider: reportDecider, stream: (runId) => ({ context: 'routing', aggregate: 'cleanup', id: runId }) });

/**
 * The routing part of a run: each orphaned route removed through `remove` (a RouteRemoved event, and
 * Caddy's config without it), then the report. A dry run only lists.
 */
export const sweepRoutes = async (store: EventStore, event: StoredEvent, remove: (routeId: string, metadata: CommandMetadata) => Promise<void>): Promise<Report> => {
  const { runId, dryRun } = event.data as EventData<typeof CleanupStarted>;
  if ((await routingCleanupReports.load(store, runId)).state.reported) return { runId, dryRun, items: [], notes: [] };
  const items: CleanupItem[] = [];
  const notes: string[] = [];
  let error: string | undefined;
  try {
    const [routes, live] = await Promise.all([loadRoutes(store), loadLiveCatalog(store)]);
    for (const r of planRouteRemovals(routes, live)) {
      // The id follows from the route, so a redelivered run removes (and records) each route once.
      if (!dryRun) await remove(r.routeId, { ...workflowMetadata(CLEANUP_CONSUMER, event, 'routing'), commandId: deriveEventId(`${CLEANUP_CONSUMER}/${runId}/${r.routeId}`, 0) });
      items.push({ kind: 'route', name: `${r.hostnames.join(', ')} (route ${r.routeId})`.slice(0, 600), bytes: 0, reason: r.reason });
    }
    if (!live.knowsProjects) notes.push('the event store knows no project: no route was taken for an orphan');
  } catch (err) {
    error = `stopped after ${items.length} route(s): ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000);
  }
  const report: Report = { runId, dryRun, items, notes, ...(error ? { error } : {}) };
  await routingCleanupReports.handle(store, runId, { type: 'Report', data: report }, workflowMetadata(CLEANUP_CONSUMER, event, 'routing'));
  return report;
};
