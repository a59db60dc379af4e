import { Controller, Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import Dockerode from 'dockerode';
import type { StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, publishLogLine, workflowMetadata } from '@slipway/messaging';
import { PREVIEW_LABEL, previewCopyId, previewNetwork, type DeploymentRequested, type EventData } from '@slipway/proto';
import { SecretOpener } from '@slipway/secret-box';
import { defaultEnvExecPath, removeUnusedSecrets, rollOut, type ImageProcessReader, type KeepSecretsOf, type RunnableSpec } from '../swarm';
import { openEnv, SealedEnvVarUnreadable } from './deployment-env';
import { deployments } from './deployment.aggregate';
import type { DeploymentCommand } from './deployment.decider';
import { deploymentPort } from './deployment-port';
import { discardImage } from './image-discard';
import { desiredReplicas, loadCatalog } from './service-catalog';
import { loadPreview } from '../preview/preview-state';

const RUNNER = 'deploy-rollout-runner';

/** How the runner learns an image's ENTRYPOINT and CMD (the registry's API; see deploy.module.ts). */
export const IMAGE_PROCESS_READER = Symbol('ImageProcessReader');

/** One overlay network per project. */
export const projectNetwork = (projectName: string) => `slipway-${projectName}`;
/** Swarm names: one service per Slipway service, one overlay network per project (per preview). */
export const swarmNames = (projectName: string, serviceName: string, previewSlug?: string) => ({
  swarmService: `${projectName}-${serviceName}`,
  network: previewSlug ? previewNetwork(projectName, previewSlug) : projectNetwork(projectName),
});

type Request = EventData<typeof DeploymentRequested>;
/** A preview copy's name on its network and its labels: see proto's preview-names.ts. */
const runtimeIdentity = (request: Request, deploymentId: string): { alias: string; labels: Record<string, string> } => {
  const { trigger } = request;
  if (trigger.kind !== 'preview') {
    return { alias: request.serviceName, labels: { 'slipway.project': request.projectId, 'slipway.service': request.serviceId, 'slipway.deployment': deploymentId } };
  }
  return {
    alias: request.serviceName.slice(0, -(trigger.slug.length + 1)),
    labels: {
      'slipway.project': request.projectId,
      'slipway.service': previewCopyId(request.serviceId, trigger.slug),
      [PREVIEW_LABEL]: trigger.previewId,
      'slipway.deployment': deploymentId,
    },
  };
};

/**
 * Rolls a started deployment out on Swarm and records the outcome: rolled out (routing takes it
 * from there), or failed with the reason — after which the previous version is still serving.
 */
@Controller()
export class RolloutRunnerHandlers implements OnApplicationBootstrap {
  private readonly box = SecretOpener.forService('deploy');
  private readonly log = new Logger(RUNNER);

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(IMAGE_PROCESS_READER) private readonly readImageProcess: ImageProcessReader,
    @Inject(Dockerode) private readonly docker: Dockerode,
  ) {}

  /** What a crash mid-roll-out left (secrets created, never used): removed once the store answers. */
  onApplicationBootstrap() {
    void this.platform.ready
      .then(() => removeUnusedSecrets(this.docker, { keep: this.rollingOut() }))
      .then((removed) => removed.length > 0 && this.log.log(`removed ${removed.length} secret(s) that no service uses`))
      .catch((err) => this.log.warn(`could not look for unused secrets: ${err}`));
  }

  @OnEvent({ durable: RUNNER, context: 'deploy', aggregate: 'deployment', types: ['DeploymentStarted'], maxDeliver: 3 })
  async onDeploymentStarted(@Payload() event: StoredEvent) {
    const deploymentId = event.aggregateId;
    const { state } = await deployments.load(this.platform.store, deploymentId);
    if (state.status === 'none') return;
    const { request } = state;
    const preview = request.trigger.kind === 'preview' ? request.trigger : undefined;
    const { swarmService, network } = swarmNames(request.projectName, request.serviceName, preview?.slug);
    if (state.status !== 'rolling-out') {
      // Redelivered after it moved on, or ended meanwhile (a deadline) while this process was down:
      // the secrets an interrupted attempt created and no task uses go.
      await removeUnusedSecrets(this.docker, { swarmService, keep: this.rollingOut() });
      return;
    }
    const say = (message: string) =>
      publishLogLine(this.platform.connection, deploymentId, { timestamp: new Date().toISOString(), stream: 'system', message });

    // Deleted or stopped while it was being built: roll nothing out (a deleted service's Swarm service is gone and stays gone).
    const catalog = await loadCatalog(this.platform.store, request.projectId);
    if (preview && (await loadPreview(this.platform.store, preview.previewId))?.destroying !== false) {
      const reason = 'The preview was closed before its roll-out';
      say(reason);
      // Built for a preview that is gone: its image goes too (a production image it ran stays).
      if (!preview.imageRef) say(`Image ${event.data.imageRef}: ${await discardImage(String(event.data.imageRef), []).catch((err) => `not deleted: ${err}`)}`);
      return this.decide(event, 2, { type: 'MarkFailed', data: { deploymentId, reason }, now: new Date().toISOString() });
    }
    if (desiredReplicas(catalog, request.serviceId) === 0) {
      const reason = catalog.services.has(request.serviceId) && !catalog.deleted ? 'The service was stopped before its roll-out: start it, then deploy again' : 'The service was deleted before its roll-out';
      say(reason);
      return this.decide(event, 2, { type: 'MarkFailed', data: { deploymentId, reason }, now: new Date().toISOString() });
    }
    const port = await deploymentPort(this.platform.store, this.readImageProcess, deploymentId, request, String(event.data.imageRef));
    say(`Port ${port.number}: ${port.reason}`);
    let spec: RunnableSpec;
    try {
      // Secrets are opened here, in memory, for the container's environment only.
      spec = { ...request.spec, port: port.number, env: openEnv(request.spec.env, (sealed) => this.box.open(sealed)) };
    } catch (err) {
      if (!(err instanceof SealedEnvVarUnreadable)) throw err;
      say(err.message);
      return this.decide(event, 2, { type: 'MarkFailed', data: { deploymentId, reason: err.message }, now: new Date().toISOString() });
    }
    say(`Rolling out ${event.data.imageRef} as ${swarmService} (${request.spec.replicas} replica(s))`);
    const result = await rollOut(
      this.docker,
      {
        swarmService,
        network,
        // Its own name on the project network, so the project's other services reach it as http://<name>:<port>
        // (a preview copy: the service's name on the preview's network).
        aliases: [runtimeIdentity(request, deploymentId).alias],
        imageRef: String(event.data.imageRef),
        spec,
        labels: runtimeIdentity(request, deploymentId).labels,
      },
      {
        timeoutMs: Number(process.env.SLIPWAY_ROLLOUT_TIMEOUT_MS ?? 120_000),
        onProgress: say,
        secretEnv: { readImageProcess: this.readImageProcess, envExecPath: process.env.SLIPWAY_ENV_EXEC ?? defaultEnvExecPath() },
        keepSecretsOf: this.rollingOut(deploymentId),
      },
    );
    if (result.outcome === 'succeeded' && preview && (await loadPreview(this.platform.store, preview.previewId))?.destroying !== false) {
      // Closed while it rolled out: the teardown may have run before this copy existed.
      await this.docker.getService(swarmService).remove().catch(() => undefined);
      const reason = 'The preview was closed during its roll-out';
      say(reason);
      return this.decide(event, 2, { type: 'MarkFailed', data: { deploymentId, reason }, now: new Date().toISOString() });
    }
    if (result.outcome === 'succeeded') {
      say('New tasks are running and healthy');
      return this.decide(event, 0, { type: 'MarkRolledOut', data: { deploymentId, swarmService, network, port }, now: new Date().toISOString() });
    }
    say(`Roll-out failed: ${result.reason}${result.rolledBack ? ' — the previous version is serving again' : ''}`);
    let serving: string | undefined;
    if (result.rolledBack) {
      serving = (await this.docker.getService(swarmService).inspect()).Spec?.TaskTemplate?.ContainerSpec?.Image;
      await this.decide(event, 1, { type: 'MarkRolledBack', data: { deploymentId, toImageRef: serving ?? 'previous image', reason: result.reason } });
    }
    // A rollback's image is an earlier deployment's, a preview copy's may be its production service's.
    if (request.trigger.kind !== 'rollback' && !(request.trigger.kind === 'preview' && request.trigger.imageRef)) {
      // The image built for this deployment serves nobody: leave no tag behind (a rollback's image is an earlier deployment's).
      const servingDigest = serving?.split('@')[1];
      const outcome = await discardImage(String(event.data.imageRef), servingDigest ? [servingDigest] : []).catch((err) => `not deleted: ${err}`);
      say(`Image ${event.data.imageRef}: ${outcome}`);
    }
    await this.decide(event, 2, { type: 'MarkFailed', data: { deploymentId, reason: result.reason }, now: new Date().toISOString() });
  }

  /** Secrets of deployments rolling out (elsewhere: not `except`) are not yet in a spec, but needed. */
  private rollingOut(except?: string): KeepSecretsOf {
    return async (deploymentId) => {
      if (deploymentId === except) return false;
      const { state } = await deployments.load(this.platform.store, deploymentId);
      return state.status === 'queued' || state.status === 'rolling-out';
    };
  }

  private decide(event: StoredEvent, index: number, command: DeploymentCommand) {
    return deployments.handle(this.platform.store, command.data.deploymentId, command, workflowMetadata(RUNNER, event, 'deploy', index));
  }
}
