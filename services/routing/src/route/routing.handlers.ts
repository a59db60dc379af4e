import { readFileSync } from 'node:fs';
import { Controller, Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import Dockerode from 'dockerode';
import type { StoredEvent } from '@slipway/event-store';
import { newCommandMetadata, OnEvent, PlatformConnection, publishLogLine, workflowMetadata } from '@slipway/messaging';
import { PLATFORM_DEFAULT_PORT, previewCopyId, type DeploymentRequested, type EventData, type RouteAssigned } from '@slipway/proto';
import { CaddyAdmin, CaddyCertificateFiles, caddyIssuanceError, detachCaddyFromNetwork, syncEdge, usesInternalCa, waitForCertificate, watchCaddyRestarts, type CaddyRestartWatch, type Route } from '../caddy';
import { CertificateWatch } from './certificate-watch';
import { currentInstanceSettings, tlsFor } from './instance-settings';
import { routes } from './route.aggregate';
import { routeDecider, serviceHostnames, type CertificateState, type RouteCommand } from './route.decider';
import { routeOnServiceLifecycle } from './route-lifecycle.workflow';
import { currentDomains } from './service-domains';
import { CLEANUP_CONSUMER, sweepRoutes } from '../cleanup/route-cleanup';

const CONSUMER = 'routing-on-deployment-rolled-out';
const DOMAINS_CONSUMER = 'routing-on-domains-changed';
const LIFECYCLE_CONSUMER = 'routing-on-service-lifecycle';
const PREVIEW_CONSUMER = 'routing-on-preview-destroy-requested';

/**
 * Points each rolled-out service's hostnames at it through Caddy, then activates the route for
 * the deployment. The route list in the event store is the truth: on start, and on every change,
 * Caddy's whole configuration is rebuilt from it, so a lost config or a restarted Caddy loses nothing.
 */
@Controller()
export class RoutingHandlers implements OnModuleDestroy {
  private readonly log = new Logger('routing');
  private readonly docker = new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
  private readonly admin = new CaddyAdmin({ adminUrlFile: process.env.CADDY_ADMIN_URL_FILE, adminUrl: process.env.CADDY_ADMIN_URL_FILE ? undefined : process.env.CADDY_ADMIN_URL });
  /** The machine's ACME CA (infra.env), used unless the instance names a directory of its own. */
  private readonly machineTls = { acmeCaUrl: process.env.ACME_CA_URL, trustedRootsPemFile: process.env.CADDY_ACME_TRUSTED_ROOTS_PEM };
  private readonly routes = new Map<string, Route>();
  private readonly certificates = new Map<string, Record<string, CertificateState>>();
  private localCaRoot?: { pem: string; at: number };
  private readonly watch = new CertificateWatch(
    {
      probe: async (hostname, timeoutMs) => waitForCertificate(hostname, { trustedRootsPem: await this.rootsFor(hostname), timeoutMs }),
      issuanceError: (hostname) => caddyIssuanceError(this.docker, hostname),
      record: (command) => this.recordCertificate(command),
      now: () => new Date(),
    },
    { failAfterMs: seconds('SLIPWAY_CERTIFICATE_FAIL_AFTER_S', 120), probeMs: 2_000 },
  );
  private sync: Promise<unknown> = Promise.resolve();
  /** One route change at a time per service, so the domains read and the route written never cross. */
  private readonly routeChanges = new Map<string, Promise<unknown>>();
  /** Until the route list is read back, an empty list means "not known yet", never "no routes". */
  private restored = false;
  private readonly restoring: Promise<void>;
  private readonly caddyRestarts: CaddyRestartWatch;

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(CaddyCertificateFiles) private readonly certificateFiles: CaddyCertificateFiles,
  ) {
    this.restoring = platform.ready.then(() => this.restore()).catch((err) => this.log.error(`could not restore routes: ${err}`));
    // A restarted Caddy task has lost its project networks and maybe its config: reconcile often
    // (a no-op costs one config read when nothing changed).
    setInterval(() => {
      if (this.restored) void this.applyToCaddy().catch((err) => this.log.warn(`edge sync: ${err}`));
    }, 30_000).unref();
    // ...and at once when its task starts: routes are back within a second, not up to 30 s later (ADR 0030).
    this.caddyRestarts = watchCaddyRestarts(
      this.docker,
      () => {
        if (this.restored) void this.applyToCaddy().catch((err) => this.log.warn(`edge sync after Caddy restarted: ${err}`));
      },
      { warn: (message) => this.log.warn(message) },
    );
    // Certificates still on their way (or due for renewal) are looked at again until they are served.
    let sweeping = false;
    setInterval(() => {
      if (!this.restored || sweeping) return;
      sweeping = true;
      const list = [...this.routes.values()].map((r) => ({ ...r, certificates: this.certificates.get(r.routeId) ?? {} }));
      void this.watch
        .sweep(list)
        .catch((err) => this.log.warn(`certificate sweep: ${err}`))
        .finally(() => (sweeping = false));
    }, seconds('SLIPWAY_CERTIFICATE_SWEEP_S', 15)).unref();
  }

  onModuleDestroy() {
    this.caddyRestarts.stop();
  }

  @OnEvent({ durable: CONSUMER, context: 'deploy', aggregate: 'deployment', types: ['DeploymentRolledOut'] })
  async onDeploymentRolledOut(@Payload() event: StoredEvent) {
    const deploymentId = event.aggregateId;
    const { events } = await this.platform.store.read({ context: 'deploy', aggregate: 'deployment', id: deploymentId });
    // Ended meanwhile (its deadline passed while routing was down): route nothing to a version that was given up.
    if (events.some((e) => e.type === 'DeploymentFailed' || e.type === 'DeploymentCancelled')) return;
    const request = events.find((e) => e.type === 'DeploymentRequested')!.data as EventData<typeof DeploymentRequested>;
    // A preview copy has a route of its own (its id and hostname carry the preview's slug) and no custom domain.
    const preview = request.trigger.kind === 'preview' ? request.trigger : undefined;
    const routeId = preview ? previewCopyId(request.serviceId, preview.slug) : request.serviceId;
    if (preview && (await this.previewClosed(preview.previewId))) return;
    const route = await this.changeRoute(routeId, async () => {
      // The domains the service has now, not those of the snapshot (service-domains.ts says why).
      const domains = preview ? [] : await this.domainsOf(request.projectId, request.serviceId);
      const { baseDomain } = await currentInstanceSettings(this.platform.store);
      const assigned: EventData<typeof RouteAssigned> = {
        routeId,
        serviceId: routeId,
        ...(preview ? { previewId: preview.previewId } : {}),
        hostnames: serviceHostnames(request.serviceName, request.projectName, baseDomain, domains),
        // The port the roll-out chose (older deployments: their spec's).
        upstream: { dnsName: `tasks.${event.data.swarmService}`, port: (event.data.port as { number: number } | undefined)?.number ?? request.spec.port ?? PLATFORM_DEFAULT_PORT },
        network: String(event.data.network),
      };
      const { events } = await this.decide(event, 0, { type: 'AssignRoute', data: assigned });
      // Deleted meanwhile: its route is gone for good (the decider assigns it no more).
      if (!events.length && (await routes.load(this.platform.store, routeId)).state.removed) return undefined;
      return assigned;
    });
    if (!route) return;
    const { hostnames } = route;

    const say = (message: string) =>
      publishLogLine(this.platform.connection, deploymentId, { timestamp: new Date().toISOString(), stream: 'system', message });
    say(`Routing ${hostnames.join(', ')} → ${route.upstream.dnsName}:${route.upstream.port}`);
    // A certificate that comes quickly is in place when the deployment says it succeeded; a slow
    // or failing one does not hold it up (CertificateWatch follows it and records the outcome).
    const { issued, waiting } = await this.watch.awaitBriefly(route.routeId, hostnames, seconds('SLIPWAY_CERTIFICATE_WAIT_S', 10));
    for (const c of issued) say(`Certificate for ${c.hostname} issued by ${c.issuer} (served after ${c.elapsedMs} ms)`);
    for (const w of waiting) say(`Certificate for ${w.hostname} not served yet (${w.why}); HTTPS follows when Caddy has it, the deployment does not wait`);
    await this.decide(event, 1, { type: 'ActivateRoute', data: { routeId: route.routeId, deploymentId, url: `https://${hostnames[0]}` } });
  }

  /**
   * A running service gets a domain added or removed: its route changes now, not at the next
   * deployment. A service that was never rolled out has no route yet; its first one will have it.
   */
  @OnEvent({ durable: DOMAINS_CONSUMER, context: 'project', aggregate: 'project', types: ['ServiceDomainAdded', 'ServiceDomainRemoved'] })
  async onDomainsChanged(@Payload() event: StoredEvent) {
    const serviceId = String(event.data.serviceId);
    await this.changeRoute(serviceId, async () => {
      const { assigned, suspended } = (await routes.load(this.platform.store, serviceId)).state;
      if (!assigned) return undefined;
      const [own] = assigned.hostnames; // the service's own name under the base domain comes first
      const domains = await this.domainsOf(String(event.data.projectId), serviceId);
      const route = { ...assigned, hostnames: [own, ...domains.filter((d) => d !== own)] };
      const metadata = workflowMetadata(DOMAINS_CONSUMER, event, 'routing');
      await routes.handle(this.platform.store, serviceId, { type: 'AssignRoute', data: route }, metadata);
      this.log.log(`Route ${serviceId} now serves ${route.hostnames.join(', ')}`);
      return { ...route, stopped: Boolean(suspended) };
    });
  }

  /** Stopped: the stopped page; started: the service again; deleted: no route, no certificate, and Caddy leaves a network no route uses. */
  @OnEvent({ durable: LIFECYCLE_CONSUMER, context: 'project', aggregate: 'project', types: ['ServiceStopped', 'ServiceStarted', 'ServiceDeleted'] })
  async onServiceLifecycle(@Payload() event: StoredEvent) {
    const serviceId = String(event.data.serviceId);
    let removed: Route | undefined;
    for (const command of routeOnServiceLifecycle(event)) {
      await this.changeRoute(serviceId, async () => {
        await routes.handle(this.platform.store, serviceId, command, workflowMetadata(LIFECYCLE_CONSUMER, event, 'routing'));
        const { state } = await routes.load(this.platform.store, serviceId);
        if (!state.removed) return state.assigned ? { ...state.assigned, stopped: Boolean(state.suspended) } : undefined;
        removed = this.routes.get(serviceId);
        return 'removed';
      });
    }
    if (removed) await this.forget(removed);
  }

  /** A preview closed: each of its copies' routes goes, with its certificates, and Caddy leaves the preview's network. */
  @OnEvent({ durable: PREVIEW_CONSUMER, context: 'preview', aggregate: 'preview', types: ['PreviewDestroyRequested'] })
  async onPreviewDestroyRequested(@Payload() event: StoredEvent) {
    await this.restoring;
    const previewId = event.aggregateId;
    const ids = new Set([...this.routes.values()].filter((r) => r.previewId === previewId).map((r) => r.routeId));
    for (const e of await this.platform.store.readAll({ context: 'routing', aggregate: 'route' })) {
      if (e.type === 'RouteAssigned' && e.data.previewId === previewId) ids.add(e.aggregateId);
    }
    for (const [index, routeId] of [...ids].entries()) {
      const known = this.routes.get(routeId);
      await this.changeRoute(routeId, async () => {
        await routes.handle(this.platform.store, routeId, { type: 'RemoveRoute', data: { routeId } }, workflowMetadata(PREVIEW_CONSUMER, event, 'routing', index));
        return 'removed' as const;
      });
      if (known) await this.forget(known);
    }
  }

  /** The clean-up's routing part (cleanup/route-cleanup.ts decides): each orphaned route goes as a preview's do. */
  @OnEvent({ durable: CLEANUP_CONSUMER, context: 'deploy', aggregate: 'cleanup', types: ['CleanupStarted'], ackWaitMs: 300_000 })
  async onCleanupStarted(@Payload() event: StoredEvent) {
    await this.restoring;
    const report = await sweepRoutes(this.platform.store, event, async (routeId, metadata) => {
      const known = this.routes.get(routeId);
      await this.changeRoute(routeId, async () => {
        await routes.handle(this.platform.store, routeId, { type: 'RemoveRoute', data: { routeId } }, metadata);
        return 'removed' as const;
      });
      if (known) await this.forget(known);
    });
    if (report.items.length) this.log.log(`clean-up ${report.runId}: ${report.items.length} orphaned route(s)${report.dryRun ? ' (dry run)' : ' removed'}`);
  }

  /** A removed route's certificates go, and Caddy leaves a network no route uses any more. */
  private async forget(removed: Route) {
    this.certificates.delete(removed.routeId);
    const files = await this.certificateFiles.remove(removed.hostnames);
    const { network } = removed;
    if (![...this.routes.values()].some((r) => r.network === network)) await detachCaddyFromNetwork(this.docker, network);
    this.log.log(`Route ${removed.routeId} removed (${removed.hostnames.join(', ')}; ${files.length} certificate(s) deleted)`);
  }

  private async previewClosed(previewId: string) {
    const { events } = await this.platform.store.read({ context: 'preview', aggregate: 'preview', id: previewId });
    return events.some((e) => e.type === 'PreviewDestroyRequested');
  }

  /** A new ACME directory goes to Caddy now (the other routing instances follow at their next sync, within 30 s). */
  @OnEvent({ durable: 'routing-on-instance-settings-changed', context: 'project', aggregate: 'instance-settings', types: ['InstanceSettingsChanged'] })
  async onInstanceSettingsChanged() {
    await this.restoring;
    await this.applyToCaddy();
  }

  /** Runs `change` after the previous change of this service's route; Caddy then gets the new route list. */
  private async changeRoute<T extends Route | 'removed' | undefined>(serviceId: string, change: () => Promise<T>): Promise<T> {
    // After the route list is read back: a change applied to a partial list would drop the other routes from Caddy.
    const previous = this.routeChanges.get(serviceId) ?? this.restoring;
    const current = previous.catch(() => undefined).then(change);
    this.routeChanges.set(serviceId, current);
    try {
      const route = await current;
      if (route === 'removed') this.routes.delete(serviceId);
      else if (route) this.routes.set(route.routeId, route);
      if (route) await this.applyToCaddy();
      return route;
    } finally {
      if (this.routeChanges.get(serviceId) === current) this.routeChanges.delete(serviceId);
    }
  }

  private async domainsOf(projectId: string, serviceId: string) {
    return currentDomains((await this.platform.store.read({ context: 'project', aggregate: 'project', id: projectId })).events, serviceId);
  }

  private async restore() {
    const states = new Map<string, ReturnType<typeof routeDecider.evolve>>();
    for (const e of await this.platform.store.readAll({ context: 'routing', aggregate: 'route' })) {
      states.set(e.aggregateId, routeDecider.evolve(states.get(e.aggregateId) ?? routeDecider.initialState, e as never));
    }
    for (const [routeId, state] of states) {
      if (state.assigned && !state.removed) this.routes.set(routeId, { ...(state.assigned as Route), stopped: Boolean(state.suspended) });
      this.certificates.set(routeId, state.certificates);
    }
    this.restored = true;
    await this.applyToCaddy();
    this.log.log(`Caddy configuration rebuilt from ${this.routes.size} route(s)`);
  }

  /** The roots a hostname's certificate must chain to: Caddy's own CA for local names, the ACME CA's otherwise. */
  private async rootsFor(hostname: string): Promise<string | undefined> {
    if (usesInternalCa(hostname)) {
      if (!this.localCaRoot || Date.now() - this.localCaRoot.at > 600_000) this.localCaRoot = { pem: await this.admin.localCaRootPem(), at: Date.now() };
      return this.localCaRoot.pem;
    }
    // The machine's CA (Pebble's root on a test machine); the system's roots for a public CA the instance names.
    const { acmeDirectory } = await currentInstanceSettings(this.platform.store);
    return !acmeDirectory && process.env.ACME_ROOT_PEM ? readFileSync(process.env.ACME_ROOT_PEM, 'utf8') : undefined;
  }

  private async recordCertificate(command: RouteCommand) {
    const { routeId } = command.data;
    const { events } = await routes.handle(this.platform.store, routeId, command, newCommandMetadata({ kind: 'service', id: 'routing' }));
    // What was just appended, folded onto what this process knew: no second read of the stream.
    const known = { ...routeDecider.initialState, certificates: this.certificates.get(routeId) ?? {} };
    this.certificates.set(routeId, events.reduce(routeDecider.evolve, known).certificates);
  }

  /** One sync at a time: each rebuilds the whole config from the current route list. */
  private applyToCaddy() {
    this.sync = this.sync
      .catch(() => undefined)
      .then(async () => syncEdge(this.docker, this.admin, [...this.routes.values()], tlsFor(await currentInstanceSettings(this.platform.store), this.machineTls)));
    return this.sync;
  }

  private decide(event: StoredEvent, index: number, command: RouteCommand) {
    return routes.handle(this.platform.store, command.data.routeId, command, workflowMetadata(CONSUMER, event, 'routing', index));
  }
}

const seconds = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return (Number.isFinite(value) && value > 0 ? value : fallback) * 1000;
};
