import { randomBytes } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { ulid } from 'ulid';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { CreateProject, CreateService, SetWebhookSecret, type ServiceSpecInput } from '@slipway/proto';
import { asGraphqlError, badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import type { ProjectView, ServiceView } from './projects.projection';

interface CreateServiceInput {
  projectId: string;
  name: string;
  source: { git?: { url: string; ref?: string; token?: string; deployKey?: string }; image?: { ref: string }; archive?: { id: string } };
  port: number;
  env?: { key: string; value: string }[];
  healthCheckPath?: string;
  replicas?: number;
  cpu?: number;
  memoryMb?: number;
  domains?: string[];
  dockerfilePath?: string;
}

export const sourceOf = ({ source }: Pick<CreateServiceInput, 'source'>): ServiceSpecInput['source'] => {
  if ([source.git, source.image, source.archive].filter(Boolean).length !== 1) {
    throw badInput('source: give exactly one of git, image or archive', 'source');
  }
  if (source.image) return { kind: 'image', ref: source.image.ref };
  if (source.archive) return { kind: 'archive', archiveId: source.archive.id };
  const git = source.git!;
  const credentials = git.token
    ? { kind: 'token' as const, token: git.token }
    : git.deployKey
      ? { kind: 'deploy-key' as const, privateKey: git.deployKey }
      : undefined;
  return { kind: 'git', url: git.url, ref: git.ref ?? 'main', ...(credentials ? { credentials } : {}) };
};

/** The defaults a service gets for what the input leaves out. */
export const specOf = (input: CreateServiceInput): ServiceSpecInput => ({
  source: sourceOf(input),
  port: input.port,
  env: input.env ?? [],
  replicas: input.replicas ?? 1,
  resources: { cpu: input.cpu ?? 0.5, memoryMb: input.memoryMb ?? 512 },
  healthCheck: input.healthCheckPath ? { kind: 'http', path: input.healthCheckPath } : { kind: 'tcp' },
  domains: input.domains ?? [],
  build: { dockerfilePath: input.dockerfilePath ?? 'Dockerfile' },
  security: { readOnlyRootFilesystem: false },
});

const collection = async <T>(ctx: GatewayContext, name: string) => (await ctx.readStore.db()).collection<T & { _id: string }>(name);

export const projectsResolvers = {
  Query: {
    projects: async (_: unknown, __: unknown, ctx: GatewayContext) =>
      (await (await collection<ProjectView>(ctx, 'projects')).find({}).sort({ name: 1 }).toArray()).map(strip),
  },
  Project: {
    // Services created by the mutation a moment ago may still be on their way to the read model.
    services: async (project: ProjectView & { services?: ServiceView[] }, _: unknown, ctx: GatewayContext) =>
      project.services ?? (await (await collection<ServiceView>(ctx, 'services')).find({ projectId: project.id }).sort({ name: 1 }).toArray()).map(strip),
  },
  Mutation: {
    createProject: async (_: unknown, { input }: { input: { name: string } }, ctx: GatewayContext) => {
      const projectId = `p_${ulid().toLowerCase()}`;
      await sendCommand(ctx.platform.connection, CreateProject, { projectId, name: input.name }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      return (await awaitView<ProjectView>(ctx, 'projects', projectId)) ?? { id: projectId, name: input.name, createdAt: new Date().toISOString(), services: [] };
    },
    rotateWebhookSecret: async (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) => {
      const secret = randomBytes(32).toString('hex');
      await sendCommand(ctx.platform.connection, SetWebhookSecret, { projectId, secret }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      // The webhook receiver reads the sealed secret from the read model: wait until it is there.
      const docs = (await ctx.readStore.db()).collection<ProjectView & { _id: string }>('projects');
      const until = Date.now() + 3_000;
      while (!(await docs.findOne({ _id: projectId }))?.webhookSecret && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return secret;
    },
    createService: async (_: unknown, { input }: { input: CreateServiceInput }, ctx: GatewayContext) => {
      const serviceId = `s_${ulid().toLowerCase()}`;
      const spec = specOf(input);
      await sendCommand(
        ctx.platform.connection,
        CreateService,
        { projectId: input.projectId, serviceId, name: input.name, spec },
        newCommandMetadata(ctx.actor),
      ).catch(asGraphqlError);
      const view = await awaitView<ServiceView>(ctx, 'services', serviceId);
      if (!view) throw new GraphQLError(`Service ${input.name} was created but is not readable yet; query it again in a moment`);
      return view;
    },
  },
};
