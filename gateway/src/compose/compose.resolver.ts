import { GraphQLError } from 'graphql';
import { CommandRejected, newCommandMetadata, sendCommand } from '@slipway/messaging';
import { ImportCompose, ReadSourceFiles, type ComposePreviewService, type ImportComposeAnswer, type SourceFilesAnswer } from '@slipway/proto';
import type { z } from 'zod';
import { onProject, projectArg, type OperationRules } from '../auth/operation-rules';
import { asGraphqlError } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { callerStandingOf, sourceOf } from '../projects/projects.resolver';
import { live, type ProjectView, type ServiceView } from '../projects/projects.projection';
import { awaitPosition } from '../service-settings/await-position';
import { strip } from '../read-models/projection-runner';
import type { ComposeImportView } from './compose.projection';

interface ImportComposeInput {
  projectId: string;
  git: { url: string; ref?: string | null; token?: string | null };
  path?: string | null;
}

type Origin = NonNullable<z.infer<typeof ImportCompose.schema>['origin']>;
type Answer = Exclude<ImportComposeAnswer, { kind: 'need-files' }>;

/** A repository read and a reconciliation each end within this; the read itself gives up after 120 s. */
const READ_TIMEOUT_MS = 150_000;
const IMPORT_TIMEOUT_MS = 120_000;
/** The compose file and its .env, then its env_files: two rounds; a third would be a loop. */
const MAX_ROUNDS = 3;

/** Fields of the commands, named as the GraphQL input names them. */
const inInput = (err: unknown): never =>
  asGraphqlError(
    err instanceof CommandRejected
      ? new CommandRejected(err.code, err.message, err.field === 'path' ? 'input.path' : err.field?.startsWith('git') || err.field?.startsWith('source') ? 'input.git.url' : err.field)
      : err,
  );

/**
 * The project service says which files it needs; the build service (which holds the git
 * credentials' key and the caches) reads them, all at the commit the first read found.
 */
export const readAndImport = async (ctx: GatewayContext, projectId: string, options: { origin?: Origin; dryRun?: boolean }): Promise<Answer> => {
  let files: Record<string, string | null> = {};
  let commit: string | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const data = { projectId, files, callerStanding: callerStandingOf(ctx), ...(options.origin ? { origin: options.origin } : {}), ...(commit ? { commit } : {}), ...(options.dryRun ? { dryRun: true } : {}) };
    const answer = (await sendCommand(ctx.platform.connection, ImportCompose, data, newCommandMetadata(ctx.actor), { timeoutMs: IMPORT_TIMEOUT_MS })) as unknown as ImportComposeAnswer;
    if (answer.kind !== 'need-files') return answer;
    const source = commit ? { ...answer.source, ref: commit } : answer.source;
    const paths = answer.paths.filter((p) => !Object.hasOwn(files, p));
    const read = (await sendCommand(ctx.platform.connection, ReadSourceFiles, { source, cacheScope: answer.cacheScope, paths }, newCommandMetadata(ctx.actor), {
      timeoutMs: READ_TIMEOUT_MS,
    })) as unknown as SourceFilesAnswer;
    files = { ...files, ...read.files };
    commit = read.commit;
  }
  throw new GraphQLError('The Compose file could not be read: it kept naming more files to read', { extensions: { code: 'COMPOSE_INVALID' } });
};

/** One read per request, not one per project of a list: a document per imported project, so few. */
const perRequest = new WeakMap<GatewayContext, Promise<Map<string, ComposeImportView>>>();
const composeImportsOf = (ctx: GatewayContext) => {
  let found = perRequest.get(ctx);
  if (!found) {
    found = ctx.readStore
      .db()
      .then((db) => db.collection<ComposeImportView & { _id: string }>('compose_imports').find({ deletedAt: { $exists: false } }).toArray())
      .then((docs) => new Map(docs.map(({ _id, ...doc }) => [_id, strip(doc) as ComposeImportView])));
    perRequest.set(ctx, found);
  }
  return found;
};

/** Whether the project's services follow a Compose file (its last reading is in the read model). */
export const hasCompose = async (ctx: GatewayContext, projectId: string): Promise<boolean> =>
  Boolean(await (await ctx.readStore.db()).collection<{ _id: string }>('compose_imports').findOne({ _id: projectId }, { projection: { _id: 1 } }));

const originOf = (input: ImportComposeInput): Origin => {
  const source = sourceOf({ source: { git: { url: input.git.url.trim(), ref: input.git.ref?.trim() || 'main', ...(input.git.token ? { token: input.git.token } : {}) } } });
  if (source.kind !== 'git') throw new GraphQLError('git: give the repository that holds the Compose file', { extensions: { code: 'BAD_USER_INPUT', field: 'input.git' } });
  const path = input.path?.trim();
  return { source, ...(path ? { path } : {}) };
};

const PREVIEW_ACTION = { create: 'CREATE', update: 'UPDATE', unchanged: 'UNCHANGED', delete: 'DELETE' } as const;

export const composeResolvers = {
  Project: {
    compose: async (project: ProjectView, _: unknown, ctx: GatewayContext) => (await composeImportsOf(ctx)).get(project.id) ?? null,
  },
  Query: {
    previewCompose: async (_: unknown, { input }: { input: ImportComposeInput }, ctx: GatewayContext) => {
      const answer = await readAndImport(ctx, input.projectId, { origin: originOf(input), dryRun: true }).catch(inInput);
      if (answer.kind !== 'preview') throw new GraphQLError('The project service did not preview the import; try again', { extensions: { code: 'INTERNAL' } });
      return { ...answer, services: answer.services.map((s: ComposePreviewService) => ({ ...s, action: PREVIEW_ACTION[s.action] })) };
    },
  },
  Mutation: {
    importCompose: async (_: unknown, { input }: { input: ImportComposeInput }, ctx: GatewayContext) => {
      const answer = await readAndImport(ctx, input.projectId, { origin: originOf(input) }).catch(inInput);
      if (answer.kind !== 'reconciled') throw new GraphQLError('The project service did not import the file; try again', { extensions: { code: 'INTERNAL' } });
      const views = await Promise.all(answer.services.map((s) => awaitPosition<ServiceView>(ctx, 'services', s.serviceId, 'project_project', answer.version)));
      return views.filter(live);
    },
  },
};

/** Creating services from a file is managing services, as createService is. */
export const composeRules: OperationRules = {
  'Query.previewCompose': onProject('manage-services', projectArg('input.projectId')),
  'Mutation.importCompose': onProject('manage-services', projectArg('input.projectId')),
};
