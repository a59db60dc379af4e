import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@slipway/event-store';
import { DomainError, OnEvent, PlatformConnection, workflowMetadata } from '@slipway/messaging';
import { loadPlatformState } from '../cleanup/platform-state';
import { deployments } from './deployment.aggregate';
import { derivedDeploymentId } from './project-deployment';
import { servicesToRestore } from './restore-plan';
import { deploymentTarget, loadGlobalEnv } from './service-catalog';

const REDEPLOY = 'deploy-redeploy-on-restore';

/**
 * Wiring only: a restored instance (`npm run restore`) runs again what it ran. Each running
 * service is deployed from the image of its last successful deployment, as a rollback to it, so
 * nothing is rebuilt; the ids derive from the restore, so a redelivered event asks for nothing twice.
 */
@Controller()
export class RestoreHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @OnEvent({ durable: REDEPLOY, context: 'deploy', aggregate: 'restore', types: ['PlatformRestored'] })
  async redeploy(@Payload() event: StoredEvent) {
    const store = this.platform.store;
    const [state, globalEnv] = await Promise.all([loadPlatformState(store), loadGlobalEnv(store)]);
    for (const [index, service] of servicesToRestore(state).entries()) {
      const metadata = workflowMetadata(REDEPLOY, event, 'deploy', index);
      const target = deploymentTarget(state.projects.get(service.projectId)!, globalEnv, service.projectId, service.serviceId);
      const trigger = { kind: 'rollback' as const, toDeploymentId: service.deploymentId, imageRef: service.imageRef };
      const data = { deploymentId: derivedDeploymentId(event.id, service.serviceId), serviceId: service.serviceId, projectId: service.projectId, ...target, trigger };
      try {
        await deployments.handle(store, data.deploymentId, { type: 'RequestDeployment', data, now: metadata.now }, metadata);
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'DEPLOYMENT_EXISTS')) throw err;
      }
    }
  }
}
