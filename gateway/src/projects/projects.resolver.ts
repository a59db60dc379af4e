import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ulid } from 'ulid';
import { CommandRejected, newCommandMetadata, sendCommand } from '@slipway/messaging';
import { CreateProject, CreateService, SetWebhookSecret, type CallerStanding, type ServiceSpecInput } from '@slipway/proto';
import { asGraphqlError, badInput } from '../command-errors';
import { instanceOwner, onProject, projectArg, signedIn, type OperationRules } from '../auth/operation-rules';
import { visibleProjectIds } from '../auth/principal';
import type { GatewayContext } from '../gateway-context';
import { awaitView } from '../read-models/await-view';
import { viewChanges } from '../read-models/view-updates';
import { live, type ProjectView, type ServiceView } from './projects.projection';
import { sealFor } from '@slipway/secret-box';

interface CreateServiceInput {
  projectId: string;
  name: string;
  source: { git?: { url: string; ref?: string; token?: string; deployKey?: string }; image?: { ref: string }; archive?: { id: string } };
  port?: number | null;
  env?: { key: string; value: string }[];
  healthCheckPath?: string;
  replicas?: number;
  cpu?: number;
  memoryMb?: number;
  domains?: string[];
  dockerfilePath?: string;
  dependsOn?: string[] | null;
  redeployDependents?: boolean | null;
}

export const sourceOf = ({ source }: Pick<CreateServiceInput, 'source'>): ServiceSpecInput['source'] => {
  if ([source.git, source.image, source.archive].filter(Boolean).length !== 1) {
    throw badInput('source: give exactly one of git, image or archive', 'source');
  }
  if (source.image) return { kind: 'image', ref: source.image.ref };
  if (source.archive) return { kind: 'archive', archiveId: source.archive.id };
  const git = source.git!;
  if (git.token && git.token.length > 4096) throw badInput('source.git.token: at most 4096 characters', 'source.git.token');
  if (git.deployKey && git.deployKey.length > 16_384) throw badInput('source.git.deployKey: at most 16384 characters', 'source.git.deployKey');
  // Sealed here, for the build service (the one that uses them): never in clear on the bus or in an event.
  // A token is sealed for the preview service too, which comments on pull requests with it.
  const credentials = git.token
    ? { kind: 'token' as const, token: sealFor('build', git.token), previewToken: sealFor('preview', git.token) }
    : git.deployKey
      ? { kind: 'deploy-key' as const, privateKey: sealFor('build', git.deployKey) }
      : undefined;
  return { kind: 'git', url: git.url, ref: git.ref ?? 'main', ...(credentials ? { credentials } : {}) };
};

/**
 * Who the caller is for the source rule (the project service judges it): the instance owner may
 * build local repositories, nobody else may.
 */
export const callerStandingOf = (ctx: GatewayContext): CallerStanding => (ctx.principal?.instanceOwner ? 'instance-owner' : 'member');

/** The source and dependency rules name their fields as the settings input does (source.git.url, dependsOn): here they are under input. */
const inCreateInput = (err: unknown): never =>
  asGraphqlError(
    err instanceof CommandRejected && (err.field?.startsWith('source.') || err.field === 'dependsOn') ? new CommandRejected(err.code, err.message, `input.${err.field}`) : err,
  );

/** The defaults a service gets for what the input leaves out. */
export const specOf = (input: CreateServiceInput): ServiceSpecInput => ({
  source: sourceOf(input),
  // Absent: chosen at each deployment (deploy service, port-choice.ts).
  ...(input.port != null ? { port: input.port } : {}),
  env: input.env ?? [],
  replicas: input.replicas ?? 1,
  resources: { cpu: input.cpu ?? 0.5, memoryMb: input.memoryMb ?? 512 },
  healthCheck: input.healthCheckPath ? { kind: 'http', path: input.healthCheckPath } : { kind: 'tcp' },
  domains: input.domains ?? [],
  build: { dockerfilePath: input.dockerfilePath ?? 'Dockerfile' },
  security: { readOnlyRootFilesystem: false },
  ...(input.dependsOn?.length ? { dependsOn: input.dependsOn } : {}),
  ...(input.redeployDependents ? { redeployDependents: true } : {}),
});

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** Every service, grouped by project and sorted by name, from the view cache. */
const servicesByProject = (ctx: GatewayContext) => {
  const grouped = new Map<string, ServiceView[]>();
  for (const service of ctx.views.all<ServiceView>('services').filter(live).sort(byName)) {
    const list = grouped.get(service.projectId);
    if (list) list.push(service);
    else grouped.set(service.projectId, [service]);
  }
  return grouped;
};

export const projectsResolvers = {
  Query: {
    projects: async (_: unknown, __: unknown, ctx: GatewayContext) => {
      await ctx.views.ready();
      const visible = visibleProjectIds(ctx.principal!);
      const projects = ctx.views.all<ProjectView>('projects').filter((p) => live(p) && (!visible || visible.has(p.id)));
      const byProject = servicesByProject(ctx);
      return projects.sort(byName).map((p) => ({ ...p, services: byProject.get(p.id) ?? [] }));
    },
  },
  Project: {
    // Given by `projects`; resolved here for a project returned by a mutation.
    services: (project: ProjectView & { services?: ServiceView[] }, _: unknown, ctx: GatewayContext) =>
      project.services ?? servicesByProject(ctx).get(project.id) ?? [],
  },
  Subscription: {
    projectsChanged: {
      subscribe: (_: unknown, __: unknown, ctx: GatewayContext, info: { fieldName: string }) =>
        viewChanges(ctx.platform.connection, ['projects', 'services', 'deployments'], 250, () => ({ [info.fieldName]: { at: new Date().toISOString() } })),
    },
  },
  Mutation: {
    createProject: async (_: unknown, { input }: { input: { name: string } }, ctx: GatewayContext) => {
      const projectId = `p_${ulid().toLowerCase()}`;
      await sendCommand(ctx.platform.connection, CreateProject, { projectId, name: input.name }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      return (await awaitView<ProjectView>(ctx, 'projects', projectId)) ?? { id: projectId, name: input.name, createdAt: new Date().toISOString(), services: [] };
    },
    rotateWebhookSecret: async (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) => {
      const secret = randomBytes(32).toString('hex');
      // Sealed for the gateway's own webhook receiver: the project service stores it without reading it.
      await sendCommand(ctx.platform.connection, SetWebhookSecret, { projectId, secret: sealFor('gateway', secret) }, newCommandMetadata(ctx.actor)).catch(
        asGraphqlError,
      );
      // The webhook receiver reads the sealed secret from the read model: wait until it is there.
      await awaitView<ProjectView>(ctx, 'projects', projectId, (p) => Boolean(p.webhookSecret));
      return secret;
    },
    createService: async (_: unknown, { input }: { input: CreateServiceInput }, ctx: GatewayContext) => {
      const serviceId = `s_${ulid().toLowerCase()}`;
      const spec = specOf(input);
      await sendCommand(
        ctx.platform.connection,
        CreateService,
        { projectId: input.projectId, serviceId, name: input.name, spec, callerStanding: callerStandingOf(ctx) },
        newCommandMetadata(ctx.actor),
      ).catch(inCreateInput);
      const view = await awaitView<ServiceView>(ctx, 'services', serviceId);
      if (!view) throw new GraphQLError(`Service ${input.name} was created but is not readable yet; query it again in a moment`);
      return view;
    },
  },
};

export const projectsRules: OperationRules = {
  'Query.projects': signedIn,
  'Subscription.projectsChanged': signedIn,
  'Mutation.createProject': instanceOwner('create projects'),
  'Mutation.createService': onProject('manage-services', projectArg('input.projectId')),
  'Mutation.rotateWebhookSecret': onProject('manage-project', projectArg('projectId')),
};
