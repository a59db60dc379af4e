import { readFileSync } from 'node:fs';
import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import Dockerode from 'dockerode';
import { handleCommand, type StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, publishLogLine, workflowMetadata } from '@slipway/messaging';
import type { DeploymentRequested, EventData, RouteAssigned } from '@slipway/proto';
import { CaddyAdmin, syncEdge, waitForCertificate, type Route, type TlsSettings } from '../caddy';
import { routeDecider, serviceHostnames, type RouteCommand } from './route.decider';

const CONSUMER = 'routing-on-deployment-rolled-out';

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
  /** Until the route list is read back, an empty list means "not known yet", never "no routes". */
  private restored = false;

  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {
    void platform.ready.then(() => this.restore()).catch((err) => this.log.error(`could not restore routes: ${err}`));
    // A restarted Caddy task has lost its project networks and maybe its config: reconcile often
    // (a no-op costs one config read when nothing changed).
    setInterval(() => {
      if (this.restored) void this.applyToCaddy().catch((err) => this.log.warn(`edge sync: ${err}`));
    }, 30_000).unref();
  }

  @OnEvent({ durable: CONSUMER, context: 'deploy', aggregate: 'deployment', types: ['DeploymentRolledOut'], ackWaitMs: 3 * 60_000 })
  async onDeploymentRolledOut(@Payload() event: StoredEvent) {
    const deploymentId = String(event.data.deploymentId);
    const { events } = await this.platform.store.read({ context: 'deploy', aggregate: 'deployment', id: deploymentId });
    const request = events.find((e) => e.type === 'DeploymentRequested')!.data as EventData<typeof DeploymentRequested>;
    const hostnames = serviceHostnames(request.serviceName, request.projectName, this.baseDomain, request.spec.domains);
    const route: EventData<typeof RouteAssigned> = {
      routeId: request.serviceId,
      serviceId: request.serviceId,
      hostnames,
      upstream: { dnsName: `tasks.${event.data.swarmService}`, port: request.spec.port },
      network: String(event.data.network),
    };
    await this.decide(event, 0, { type: 'AssignRoute', data: route });
    this.routes.set(route.routeId, route);
    await this.applyToCaddy();

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
