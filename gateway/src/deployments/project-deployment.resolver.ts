import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { DeployProject } from '@slipway/proto';
import { onProject, projectArg, type OperationRules } from '../auth/operation-rules';
import { asGraphqlError } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { live, type ServiceView } from '../projects/projects.projection';
import { awaitView } from '../read-models/await-view';
import type { DeploymentView } from './deployments.projection';
import { readAndImport } from '../compose/compose.resolver';

/** A deployment once its DeploymentRequested is read (a build event may have left a placeholder first). */
const requested = async (ctx: GatewayContext, id: string) => {
  const view = await awaitView<DeploymentView>(ctx, 'deployments', id, (d) => d.projectId !== '');
  return view?.projectId ? view : null;
};

export const projectDeploymentResolvers = {
  Service: {
    // Ids of deleted services are never left in a list (deleting one that others depend on is refused); skipped all the same.
    dependsOn: (service: ServiceView, _: unknown, ctx: GatewayContext) => (service.dependsOn ?? []).filter((id) => live(ctx.views.get<ServiceView>('services', id))),
    redeployDependents: (service: ServiceView) => service.redeployDependents ?? false,
  },
  Deployment: {
    waitingFor: (d: DeploymentView) => d.waitingFor ?? [],
  },
  Mutation: {
    deployProject: async (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) => {
      // A project imported from a Compose file follows the file as it is now: read and reconciled first.
      await readAndImport(ctx, projectId, {}).catch(asGraphqlError);
      const reply = await sendCommand(ctx.platform.connection, DeployProject, { projectId }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      const ids = reply.deploymentIds as string[];
      const views = await Promise.all(ids.map((id) => requested(ctx, id)));
      return views.filter((v): v is DeploymentView => v !== null);
    },
  },
};

export const projectDeploymentRules: OperationRules = {
  'Mutation.deployProject': onProject('deploy', projectArg('projectId')),
};
