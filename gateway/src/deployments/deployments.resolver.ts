import { GraphQLError } from 'graphql';
import { ulid } from 'ulid';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { RequestDeployment } from '@slipway/proto';
import { asGraphqlError, badInput } from '../command-errors';
import { onProject, projectOfDeployment, projectOfService, type OperationRules } from '../auth/operation-rules';
import type { GatewayContext } from '../gateway-context';
import { live, type ServiceView } from '../projects/projects.projection';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import { viewUpdates } from '../read-models/view-updates';
import { ofService, type DeploymentView } from './deployments.projection';
import { logStartAfter } from './deployment-log-history';
import { deploymentLogLines } from './deployment-logs';
import { hasCompose, readAndImport } from '../compose/compose.resolver';

const deployments = async (ctx: GatewayContext) => (await ctx.readStore.db()).collection<DeploymentView & { _id: string }>('deployments');

const findDeployment = async (ctx: GatewayContext, id: string) => {
  const doc = await (await deployments(ctx)).findOne({ _id: id });
  return doc ? (strip(doc) as DeploymentView) : null;
};

const findService = async (ctx: GatewayContext, serviceId: string) => {
  const doc = await (await ctx.readStore.db()).collection<ServiceView & { _id: string }>('services').findOne({ _id: serviceId });
  if (!live(doc)) throw badInput(`No service ${serviceId}`, 'serviceId');
  return doc;
};

/**
 * The deployment as soon as its DeploymentRequested is in the read model. A build event may be
 * projected first and leave a placeholder without project or service (deployments.projection.ts):
 * answering with that one gave the caller empty fields, and another gateway's authorisation, which
 * finds the project through the document, refused the id ("No deployment d_…", seen in CI).
 */
const awaitDeployment = async (ctx: GatewayContext, id: string, fallback: DeploymentView): Promise<DeploymentView> => {
  const view = await awaitView<DeploymentView>(ctx, 'deployments', id, (d) => d.projectId !== '');
  return view?.projectId ? view : fallback;
};

const queued = (id: string, service: ServiceView, ctx: GatewayContext, trigger: string, imageRef: string | null, rollbackOf: string | null = null): DeploymentView => ({
  id,
  serviceId: service.id,
  projectId: service.projectId,
  projectName: '',
  serviceName: service.name,
  status: 'QUEUED',
  trigger,
  triggeredBy: ctx.actor.id,
  url: null,
  imageRef,
  digest: null,
  commitSha: null,
  strategy: trigger === 'rollback' ? 'rollback' : null,
  rollbackOf,
  error: null,
  createdAt: new Date().toISOString(),
  buildStartedAt: null,
  rolloutStartedAt: null,
  finishedAt: null,
});

export const deploymentsResolvers = {
  Query: {
    deployment: (_: unknown, { id }: { id: string }, ctx: GatewayContext) => findDeployment(ctx, id),
    deployments: async (_: unknown, { serviceId }: { serviceId: string }, ctx: GatewayContext) =>
      (await (await deployments(ctx)).find(ofService(serviceId)).sort({ createdAt: -1, _id: -1 }).toArray()).map(strip),
  },
  Service: {
    latestDeployment: (service: ServiceView, _: unknown, ctx: GatewayContext) =>
      ctx.views
        .derived('latest-deployment-by-service', () => {
          const latest = new Map<string, DeploymentView>();
          for (const d of ctx.views.all<DeploymentView>('deployments')) {
            if (d.trigger === 'preview') continue;
            const current = latest.get(d.serviceId);
            if (!current || current.createdAt < d.createdAt || (current.createdAt === d.createdAt && current.id < d.id)) latest.set(d.serviceId, d);
          }
          return latest;
        })
        .get(service.id) ?? null,
    deployments: async (service: ServiceView, _: unknown, ctx: GatewayContext) =>
      (await (await deployments(ctx)).find(ofService(service.id)).sort({ createdAt: -1, _id: -1 }).toArray()).map(strip),
  },
  Deployment: {
    // Actor ids are `u_…` for a person and `u_…/tok_…` for a person's API token.
    triggeredByEmail: (d: DeploymentView, _: unknown, ctx: GatewayContext) => ctx.views.get<{ email: string }>('users', d.triggeredBy.split('/')[0])?.email ?? null,
    // A placeholder (a build event projected first) has no names yet: null rather than "".
    projectName: (d: DeploymentView) => d.projectName || null,
    serviceName: (d: DeploymentView) => d.serviceName || null,
    rollbackOf: (d: DeploymentView, _: unknown, ctx: GatewayContext) => (d.rollbackOf ? findDeployment(ctx, d.rollbackOf) : null),
  },
  Mutation: {
    deployService: async (_: unknown, { serviceId }: { serviceId: string }, ctx: GatewayContext) => {
      const service = await findService(ctx, serviceId);
      // In a project imported from a Compose file, the file as it is now is applied first (it may change this service).
      if (await hasCompose(ctx, service.projectId)) await readAndImport(ctx, service.projectId, {}).catch(asGraphqlError);
      const deploymentId = `d_${ulid().toLowerCase()}`;
      await sendCommand(
        ctx.platform.connection,
        RequestDeployment,
        { deploymentId, serviceId, projectId: service.projectId },
        newCommandMetadata(ctx.actor),
      ).catch(asGraphqlError);
      return awaitDeployment(ctx, deploymentId, queued(deploymentId, service, ctx, 'manual', null));
    },
    rollbackService: async (_: unknown, args: { serviceId: string; toDeploymentId: string }, ctx: GatewayContext) => {
      const service = await findService(ctx, args.serviceId);
      const target = await findDeployment(ctx, args.toDeploymentId);
      if (!target || target.serviceId !== service.id || target.trigger === 'preview') {
        throw badInput(`Service ${service.name} has no deployment ${args.toDeploymentId}`, 'toDeploymentId');
      }
      if (target.status !== 'SUCCEEDED' || !target.imageRef) {
        throw badInput(
          `Deployment ${target.id} is ${target.status}, not SUCCEEDED: roll back to an earlier successful deployment`,
          'toDeploymentId',
        );
      }
      const deploymentId = `d_${ulid().toLowerCase()}`;
      const trigger = { kind: 'rollback' as const, toDeploymentId: target.id, imageRef: target.imageRef };
      await sendCommand(
        ctx.platform.connection,
        RequestDeployment,
        { deploymentId, serviceId: service.id, projectId: service.projectId, trigger },
        newCommandMetadata(ctx.actor),
      ).catch(asGraphqlError);
      return awaitDeployment(ctx, deploymentId, queued(deploymentId, service, ctx, 'rollback', target.imageRef, target.id));
    },
  },
  Subscription: {
    deploymentUpdated: {
      subscribe: async function* (_: unknown, { deploymentId }: { deploymentId: string }, ctx: GatewayContext) {
        // Subscribe first, then read: a change between the two is never lost.
        const updates = viewUpdates<DeploymentView>(ctx.platform.connection, 'deployments', deploymentId);
        const first = updates.next();
        const current = await findDeployment(ctx, deploymentId);
        if (!current) throw new GraphQLError(`No deployment ${deploymentId}`, { extensions: { code: 'NOT_FOUND' } });
        yield { deploymentUpdated: current };
        let next = await first;
        while (!next.done) {
          yield { deploymentUpdated: next.value };
          next = await updates.next();
        }
      },
    },
    deploymentLogs: {
      subscribe: async function* (_: unknown, { deploymentId, after }: { deploymentId: string; after?: string | null }, ctx: GatewayContext) {
        // History read with deploymentLog, then live from its endCursor: no gap, no repeat.
        const { afterSeq } = await logStartAfter(ctx.platform.connection, deploymentId, after);
        for await (const line of deploymentLogLines(ctx.platform.connection, deploymentId, afterSeq)) yield { deploymentLogs: line };
      },
    },
  },
};

export const deploymentsRules: OperationRules = {
  'Query.deployment': onProject('read', projectOfDeployment('id')),
  'Query.deployments': onProject('read', projectOfService('serviceId')),
  'Mutation.deployService': onProject('deploy', projectOfService('serviceId')),
  'Mutation.rollbackService': onProject('deploy', projectOfService('serviceId')),
  'Subscription.deploymentUpdated': onProject('read', projectOfDeployment('deploymentId')),
  'Subscription.deploymentLogs': onProject('read-logs', projectOfDeployment('deploymentId')),
};
