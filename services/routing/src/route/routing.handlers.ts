import { readFileSync } from 'node:fs';
import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import Dockerode from 'dockerode';
import { handleCommand, type StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, publishLogLine, workflowMetadata } from '@slipway/messaging';
import type { DeploymentRequested, EventData, RouteAssigned } from '@slipway/proto';
import { CaddyAdmin, syncEdge, waitForCertificate, type Route, type TlsSettings } from '../caddy';
import { routeDecider, serviceHostnames, type RouteCommand } from './route.decider';
import { currentDomains } from './service-domains';

const CONSUMER = 'routing-on-deployment-rolled-out';
const DOMAINS_CONSUMER = 'routing-on-domains-changed';

/**
 * Points each rolled-out service's hostnames at it through Caddy, then activates the route for
 * the deployment. The route list in the event store is the truth: on start, and on every change,
 * Caddy's whole configuration is rebuilt from it, so a lost config or a restarted Caddy loses nothing.
 */
@Controller()
export class RoutingHandlers {
  private readonly log = new Logger('routing');
  private readonly docker = new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
  private readonly admin = new CaddyAdmin({ adminUrlFile: process.env.CADDY_ADMIN_URL_FILE, adminUrl: process.env.CADDY_ADMIN_URL_FILE ? undefined : process.env.CADDY_ADMIN_URL });
  private readonly tls: TlsSettings = { acmeCaUrl: process.env.ACME_CA_URL, trustedRootsPemFile: process.env.CADDY_ACME_TRUSTED_ROOTS_PEM };
  private readonly baseDomain = process.env.SLIPWAY_BASE_DOMAIN ?? 'localhost';
  private readonly routes = new Map<string, Route>();
  private sync: Promise<unknown> = Promise.resolve();
  /** One route change at a time per service, so the domains read and the route written never cross. */
  private readonly routeChanges = new Map<string, Promise<unknown>>();
  /** Until the route list is read back, an empty list means "not known yet", never "no routes". */
  private restored = false;
  private readonly restoring: Promise<void>;

  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {
    this.restoring = platform.ready.then(() => this.restore()).catch((err) => this.log.error(`could not restore routes: ${err}`));
    // A restarted Caddy task has lost its project networks and maybe its config: reconcile often
    // (a no-op costs one config read when nothing changed).
    setInterval(() => {
      if (this.restored) void this.applyToCaddy().catch((err) => this.log.warn(`edge sync: ${err}`));
    }, 30_000).unref();
  }

  @OnEvent({ durable: CONSUMER, context: 'deploy', aggregate: 'deployment', types: ['DeploymentRolledOut'] })
  async onDeploymentRolledOut(@Payload() event: StoredEvent) {
    const deploymentId = String(event.data.deploymentId);
    const { events } = await this.platform.store.read({ context: 'deploy', aggregate: 'deployment', id: deploymentId });
    const request = events.find((e) => e.type === 'DeploymentRequested')!.data as EventData<typeof DeploymentRequested>;
    const route = await this.changeRoute(request.serviceId, async () => {
      // The domains the service has now, not those of the snapshot (service-domains.ts says why).
      const domains = await this.domainsOf(request.projectId, request.serviceId);
      const assigned: EventData<typeof RouteAssigned> = {
        routeId: request.serviceId,
        serviceId: request.serviceId,
        hostnames: serviceHostnames(request.serviceName, request.projectName, this.baseDomain, domains),
        upstream: { dnsName: `tasks.${event.data.swarmService}`, port: request.spec.port },
        network: String(event.data.network),
      };
      await this.decide(event, 0, { type: 'AssignRoute', data: assigned });
      return assigned;
    });
    const { hostnames } = route;

    const say = (message: string) =>
      publishLogLine(this.platform.connection, deploymentId, { timestamp: new Date().toISOString(), stream: 'system', message });
    say(`Routing ${hostnames.join(', ')} → ${route.upstream.dnsName}:${route.upstream.port}`);
    const certificate = await this.awaitCertificate(hostnames[0]);
    if (certificate) {
      say(`Certificate for ${hostnames[0]} issued by ${certificate.issuer} (served after ${certificate.elapsedMs} ms)`);
      const notAfter = new Date(certificate.validTo).toISOString();
      await this.decide(event, 2, { type: 'RecordCertificate', data: { routeId: route.routeId, hostname: hostnames[0], issuer: certificate.issuer, notAfter } });
    }
    await this.decide(event, 1, { type: 'ActivateRoute', data: { routeId: route.routeId, deploymentId, url: `https://${hostnames[0]}` } });
  }

  /**
   * A running service gets a domain added or removed: its route changes now, not at the next
   * deployment. A service that was never rolled out has no route yet; its first one will have it.
   */
  @OnEvent({ durable: DOMAINS_CONSUMER, context: 'project', aggregate: 'project', types: ['ServiceDomainAdded', 'ServiceDomainRemoved'] })
  async onDomainsChanged(@Payload() event: StoredEvent) {
    const serviceId = String(event.data.serviceId);
    const stream = { context: 'routing', aggregate: 'route', id: serviceId } as const;
    await this.changeRoute(serviceId, async () => {
      const { events } = await this.platform.store.read(stream);
      const { assigned } = events.reduce((s, e) => routeDecider.evolve(s, e as never), routeDecider.initialState);
      if (!assigned) return undefined;
      const [own] = assigned.hostnames; // the service's own name under the base domain comes first
      const domains = await this.domainsOf(String(event.data.projectId), serviceId);
      const route = { ...assigned, hostnames: [own, ...domains.filter((d) => d !== own)] };
      const metadata = workflowMetadata(DOMAINS_CONSUMER, event, 'routing');
      await handleCommand({ store: this.platform.store, stream, decider: routeDecider, command: { type: 'AssignRoute', data: route }, metadata });
      this.log.log(`Route ${serviceId} now serves ${route.hostnames.join(', ')}`);
      return route;
    });
  }

  /** Runs `change` after the previous change of this service's route; Caddy then gets the new route list. */
  private async changeRoute<T extends Route | undefined>(serviceId: string, change: () => Promise<T>): Promise<T> {
    // After the route list is read back: a change applied to a partial list would drop the other routes from Caddy.
    const previous = this.routeChanges.get(serviceId) ?? this.restoring;
    const current = previous.catch(() => undefined).then(change);
    this.routeChanges.set(serviceId, current);
    try {
      const route = await current;
      if (route) {
        this.routes.set(route.routeId, route);
        await this.applyToCaddy();
      }
      return route;
    } finally {
      if (this.routeChanges.get(serviceId) === current) this.routeChanges.delete(serviceId);
    }
  }

  private async domainsOf(projectId: string, serviceId: string) {
    return currentDomains((await this.platform.store.read({ context: 'project', aggregate: 'project', id: projectId })).events, serviceId);
  }

  private async restore() {
    for (const e of await this.platform.store.readAll({ context: 'routing', aggregate: 'route' })) {
      if (e.type === 'RouteAssigned') this.routes.set(String(e.data.routeId), e.data as unknown as Route);
    }
    this.restored = true;
    await this.applyToCaddy();
    this.log.log(`Caddy configuration rebuilt from ${this.routes.size} route(s)`);
  }

  /** One sync at a time: each rebuilds the whole config from the current route list. */
  private applyToCaddy() {
    this.sync = this.sync.catch(() => undefined).then(() => syncEdge(this.docker, this.admin, [...this.routes.values()], this.tls));
    return this.sync;
  }

  /**
   * With a local ACME CA whose root we know (Pebble), the deployment waits until the certificate is
   * served. With a public CA, Caddy obtains it in the background and the URL works once it has.
   */
  private async awaitCertificate(hostname: string) {
    const rootsFile = process.env.ACME_ROOT_PEM;
    if (!rootsFile) return undefined;
    return waitForCertificate(hostname, { trustedRootsPem: readFileSync(rootsFile, 'utf8'), timeoutMs: 60_000 });
  }

  private decide(event: StoredEvent, index: number, command: RouteCommand) {
    return handleCommand({
      store: this.platform.store,
      stream: { context: 'routing', aggregate: 'route', id: command.data.routeId },
      decider: routeDecider,
      command,
      metadata: workflowMetadata(CONSUMER, event, 'routing', index),
    });
  }
}
