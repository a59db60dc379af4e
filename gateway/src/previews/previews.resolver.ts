import { GraphQLError } from 'graphql';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { ApprovePreview, CreatePreview, DestroyPreview, SetPreviewSettings, viewSubject } from '@slipway/proto';
import { asGraphqlError, badInput } from '../command-errors';
import { onProject, projectArg, type OperationRules, type ProjectRef } from '../auth/operation-rules';
import type { DeploymentView } from '../deployments/deployments.projection';
import type { GatewayContext } from '../gateway-context';
import { live, type ProjectView, type ServiceView } from '../projects/projects.projection';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import { defaultPreviewSettings, type PreviewSettingsView, type PreviewView } from './previews.projection';
import { withServices, type PreviewWithServices } from './preview-status';

const db = (ctx: GatewayContext) => ctx.readStore.db();

const deploymentsOf = async (ctx: GatewayContext, previewIds: string[]) =>
  (await (await db(ctx)).collection<DeploymentView & { _id: string }>('deployments').find({ previewId: { $in: previewIds } }).toArray()).map((d) => strip(d) as DeploymentView);

const joined = async (ctx: GatewayContext, previews: PreviewView[]): Promise<PreviewWithServices[]> => {
  const deployments = previews.length ? await deploymentsOf(ctx, previews.map((p) => p.id)) : [];
  return previews.map((p) => withServices(p, deployments));
};

const findPreview = async (ctx: GatewayContext, id: string): Promise<PreviewWithServices | null> => {
  const doc = await (await db(ctx)).collection<PreviewView & { _id: string }>('previews').findOne({ _id: id });
  return doc ? (await joined(ctx, [strip(doc) as PreviewView]))[0] : null;
};

const mustFind = async (ctx: GatewayContext, id: string) => {
  const found = await findPreview(ctx, id);
  if (!found) throw new GraphQLError(`No preview ${id}`, { extensions: { code: 'NOT_FOUND', field: 'id' } });
  return found;
};

/**
 * The project of a preview: its document's, or, for one not (yet) in the read model, the project
 * its id starts with (the preview service names every preview `<projectId>-<slug>`).
 */
const projectOfPreview = (path: string) => async (args: Record<string, unknown>, ctx: GatewayContext): Promise<ProjectRef> => {
  const id = String(args[path] ?? '');
  const doc = await (await db(ctx)).collection<PreviewView & { _id: string }>('previews').findOne({ _id: id });
  return projectArg('projectId')({ projectId: doc?.projectId ?? id.split('-')[0] }, ctx).catch(() => {
    throw new GraphQLError(`No preview ${id}`, { extensions: { code: 'NOT_FOUND', field: path } });
  });
};

/** The repository a branch preview builds: that of the project's first service built from git. */
const repositoryOf = (ctx: GatewayContext, projectId: string): string => {
  const git = ctx.views
    .all<ServiceView>('services')
    .filter((s) => live(s) && s.projectId === projectId && s.source.kind === 'git' && s.source.url)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))[0];
  if (!git) throw badInput('This project has no service built from a git repository: a preview builds a branch of one. Add a git service first.', 'projectId');
  return git.source.url!;
};

/** After a command: the preview once its read model shows what the command did. */
const afterCommand = async (ctx: GatewayContext, id: string, done: (p: PreviewView) => boolean) => {
  await awaitView<PreviewView>(ctx, 'previews', id, done);
  return mustFind(ctx, id);
};

export const previewsResolvers = {
  Query: {
    previews: async (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) => {
      const docs = await (await db(ctx)).collection<PreviewView & { _id: string }>('previews').find({ projectId }).sort({ createdAt: -1, _id: -1 }).toArray();
      return joined(ctx, docs.map((d) => strip(d) as PreviewView));
    },
    preview: (_: unknown, { id }: { id: string }, ctx: GatewayContext) => findPreview(ctx, id),
  },
  Project: {
    previewSettings: async (project: ProjectView, _: unknown, ctx: GatewayContext) => {
      const doc = await (await db(ctx)).collection<PreviewSettingsView & { _id: string }>('preview_settings').findOne({ _id: project.id });
      return doc ? strip(doc) : defaultPreviewSettings(project.id);
    },
  },
  Mutation: {
    createPreview: async (_: unknown, { projectId, ref }: { projectId: string; ref: string }, ctx: GatewayContext) => {
      const repositoryUrl = repositoryOf(ctx, projectId);
      const trimmed = ref.trim();
      if (!trimmed) throw badInput('Name the branch to preview', 'ref');
      // The service names the preview from the branch: the id sent is a placeholder, its reply the real one.
      const reply = await sendCommand(ctx.platform.connection, CreatePreview, { previewId: `${projectId}-new`, projectId, ref: trimmed, repositoryUrl }, newCommandMetadata(ctx.actor)).catch(
        asGraphqlError,
      );
      const previewId = String(reply.previewId);
      const requestedAfter = new Date(Date.now() - 60_000).toISOString();
      return afterCommand(ctx, previewId, (p) => p.phase !== 'DESTROYED' && p.createdAt >= requestedAfter);
    },
    destroyPreview: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      await mustFind(ctx, id);
      await sendCommand(ctx.platform.connection, DestroyPreview, { previewId: id }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      return afterCommand(ctx, id, (p) => p.phase === 'DESTROYING' || p.phase === 'DESTROYED');
    },
    approvePreview: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      await mustFind(ctx, id);
      await sendCommand(ctx.platform.connection, ApprovePreview, { previewId: id }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      return afterCommand(ctx, id, (p) => p.phase !== 'WAITING_FOR_APPROVAL');
    },
    setPreviewSettings: async (_: unknown, args: { projectId: string; idleDays: number; maxRunning: number }, ctx: GatewayContext) => {
      await sendCommand(ctx.platform.connection, SetPreviewSettings, args, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      const same = (s: PreviewSettingsView) => s.idleDays === args.idleDays && s.maxRunning === args.maxRunning;
      return (await awaitView<PreviewSettingsView>(ctx, 'preview_settings', args.projectId, same)) ?? { ...defaultPreviewSettings(args.projectId), ...args };
    },
  },
  Subscription: {
    previewUpdated: {
      subscribe: async function* (_: unknown, { projectId }: { projectId: string }, ctx: GatewayContext) {
        // A preview changes with its own events and with each of its copies' deployments.
        const nc = ctx.platform.connection;
        const subs = [nc.subscribe(viewSubject('previews', '*')), nc.subscribe(viewSubject('deployments', '*'))];
        const changed: string[] = [];
        let wake: (() => void) | undefined;
        for (const sub of subs) {
          void (async () => {
            for await (const m of sub) {
              const doc = m.json<{ id?: string; projectId?: string; previewId?: string | null; phase?: string }>();
              if (doc.projectId !== projectId) continue;
              const id = doc.phase ? doc.id : doc.previewId;
              if (id && !changed.includes(id)) changed.push(id);
              wake?.();
            }
          })();
        }
        try {
          for (;;) {
            if (changed.length === 0) await new Promise<void>((resolve) => (wake = resolve));
            const id = changed.shift();
            const preview = id ? await findPreview(ctx, id) : null;
            if (preview) yield { previewUpdated: preview };
          }
        } finally {
          for (const sub of subs) sub.unsubscribe();
        }
      },
    },
  },
};

export const previewsRules: OperationRules = {
  'Query.previews': onProject('read', projectArg('projectId')),
  'Query.preview': onProject('read', projectOfPreview('id')),
  'Mutation.createPreview': onProject('manage-previews', projectArg('projectId')),
  'Mutation.destroyPreview': onProject('manage-previews', projectOfPreview('id')),
  'Mutation.approvePreview': onProject('approve-previews', projectOfPreview('id')),
  'Mutation.setPreviewSettings': onProject('manage-services', projectArg('projectId')),
  'Subscription.previewUpdated': onProject('read', projectArg('projectId')),
};
