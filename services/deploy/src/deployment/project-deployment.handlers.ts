import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deriveEventId, type StoredEvent } from '@slipway/event-store';
import { Command, DomainError, OnEvent, PlatformConnection, workflowMetadata, type CommandPayload } from '@slipway/messaging';
import { DeployProject, type CommandMetadata, type DeploymentRequested, type EventData } from '@slipway/proto';
import { deployments } from './deployment.aggregate';
import type { AwaitedOutcome, DeploymentCommand } from './deployment.decider';
import { cascadeTargets, derivedDeploymentId, planProjectDeployment } from './project-deployment';
import { deploymentTarget, loadCatalog, loadGlobalEnv } from './service-catalog';

const SETTLE = 'deploy-settle-dependents';
const CASCADE = 'deploy-cascade-on-succeeded';
const FINAL = ['DeploymentSucceeded', 'DeploymentFailed', 'DeploymentCancelled', 'DeploymentBlocked'];

type Request = EventData<typeof DeploymentRequested>;

/**
 * Wiring only: deployProject, the release or blocking of deployments that wait for others, and the
 * cascade to dependents. Each step is an event on a durable consumer, so it survives restarts.
 */
@Controller()
export class ProjectDeploymentHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @Command(DeployProject)
  async deployProject(@Payload() { data, metadata }: CommandPayload<{ projectId: string }>) {
    const store = this.platform.store;
    const [project, globalEnv] = await Promise.all([loadCatalog(store, data.projectId), loadGlobalEnv(store)]);
    const plan = planProjectDeployment(project, data.projectId, metadata.commandId);
    for (const [index, planned] of plan.entries()) {
      const target = deploymentTarget(project, globalEnv, data.projectId, planned.serviceId);
      const request = { ...planned, ...target, projectId: data.projectId, trigger: { kind: 'manual' as const } };
      // One command id per deployment: event ids derive from it, and the store drops a repeated id as a duplicate.
      const own = { ...metadata, commandId: deriveEventId(`${metadata.commandId}/deploy-project`, index) };
      await this.request({ type: 'RequestDeployment', data: request, now: metadata.now }, own);
    }
    return { deploymentIds: plan.map((p) => p.deploymentId) };
  }

  /** A deployment ended: each that waits for it is released (all it waits for succeeded), blocked, or waits on. */
  @OnEvent({ durable: SETTLE, context: 'deploy', aggregate: 'deployment', types: FINAL })
  async settleDependents(@Payload() event: StoredEvent) {
    const ended = await deployments.load(this.platform.store, event.aggregateId);
    if (ended.state.status === 'none') return;
    for (const [index, dependentId] of ended.state.request.dependents.entries()) {
      const { state } = await deployments.load(this.platform.store, dependentId);
      if (state.status !== 'waiting') continue;
      const dependencies = await Promise.all(state.request.waitsFor.map((w) => this.outcome(w.deploymentId, w.serviceName)));
      const metadata = workflowMetadata(SETTLE, event, 'deploy', index);
      await deployments.handle(this.platform.store, dependentId, { type: 'SettleDependencies', data: { deploymentId: dependentId, dependencies }, now: metadata.now }, metadata);
    }
  }

  /** A service with redeployDependents deployed on its own: the running services that depend on it are redeployed. */
  @OnEvent({ durable: CASCADE, context: 'deploy', aggregate: 'deployment', types: ['DeploymentSucceeded'] })
  async cascade(@Payload() event: StoredEvent) {
    const { state } = await deployments.load(this.platform.store, event.aggregateId);
    if (state.status === 'none' || !cascades(state.request)) return;
    const { projectId, serviceId, deploymentId } = state.request;
    const store = this.platform.store;
    const [project, globalEnv] = await Promise.all([loadCatalog(store, projectId), loadGlobalEnv(store)]);
    for (const [index, dependent] of cascadeTargets(project, serviceId).entries()) {
      const metadata = workflowMetadata(CASCADE, event, 'deploy', index);
      const target = deploymentTarget(project, globalEnv, projectId, dependent);
      const data = { deploymentId: derivedDeploymentId(deploymentId, dependent), serviceId: dependent, projectId, ...target, trigger: { kind: 'cascade' as const, fromDeploymentId: deploymentId } };
      await this.request({ type: 'RequestDeployment', data, now: metadata.now }, metadata);
    }
  }

  private async outcome(deploymentId: string, serviceName: string): Promise<AwaitedOutcome> {
    const { state } = await deployments.load(this.platform.store, deploymentId);
    return state.status === 'none' ? { deploymentId, serviceName, status: 'none' } : { deploymentId, serviceName, status: state.status, reason: state.reason };
  }

  /** A redelivered command or event asks for the same ids: the ones that exist already are kept. */
  private async request(command: DeploymentCommand, metadata: CommandMetadata) {
    try {
      await deployments.handle(this.platform.store, command.data.deploymentId, command, metadata);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'DEPLOYMENT_EXISTS')) throw err;
    }
  }
}

/**
 * Only a deployment of the service alone cascades: in a deployProject every running dependent is
 * deployed anyway, after it.
 */
const cascades = (request: Request) => request.trigger.kind !== 'preview' && request.spec.redeployDependents === true && request.waitsFor.length === 0 && request.dependents.length === 0;
