import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../gateway-context';
import type { Permission } from './roles';

export interface ProjectRef {
  id: string;
  name?: string;
}

type Args = Record<string, unknown>;

/**
 * The authorisation rule of one root operation ("Query.projects", "Mutation.deployService", …).
 * Every operation of the schema has exactly one; the gateway does not start without it.
 */
export type OperationRule =
  | { kind: 'public' }
  | { kind: 'signed-in' }
  | { kind: 'instance-owner'; what: string }
  | { kind: 'project'; permission: Permission; projectOf: (args: Args, ctx: GatewayContext) => Promise<ProjectRef> }
  /** Scoped to a project when the argument is given, instance-wide (owner only) when not. */
  | { kind: 'project-or-instance'; permission: Permission; projectArg: string; what: string };

export type OperationRules = Record<string, OperationRule>;

export const publicOperation: OperationRule = { kind: 'public' };
export const signedIn: OperationRule = { kind: 'signed-in' };
export const instanceOwner = (what: string): OperationRule => ({ kind: 'instance-owner', what });
export const onProject = (permission: Permission, projectOf: (args: Args, ctx: GatewayContext) => Promise<ProjectRef>): OperationRule => ({
  kind: 'project',
  permission,
  projectOf,
});

export const onProjectOrInstance = (permission: Permission, projectArgPath: string, what: string): OperationRule => ({
  kind: 'project-or-instance',
  permission,
  projectArg: projectArgPath,
  what,
});

const notFound = (message: string, field: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND', field } });

const argAt = (args: Args, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Args | undefined)?.[k], args);

const findIn = async (ctx: GatewayContext, collection: string, id: string) =>
  (await ctx.readStore.db()).collection<{ _id: string; projectId?: string; id?: string; name?: string; deletedAt?: string }>(collection).findOne({ _id: id });

/**
 * The project a rule is about, found from the id an argument names (a path such as "projectId" or
 * "input.projectId"): the project itself, or the project of a service or of a deployment.
 */
const projectVia =
  (collection: 'projects' | 'services' | 'deployments', noun: string) =>
  (path: string) =>
  async (args: Args, ctx: GatewayContext): Promise<ProjectRef> => {
    const id = String(argAt(args, path) ?? '');
    const found = await findIn(ctx, collection, id);
    // A deleted service or project is a tombstone in its read model: as absent as one that never was.
    const doc = found?.deletedAt ? null : found;
    const projectId = collection === 'projects' ? doc && id : doc?.projectId;
    if (!projectId) throw notFound(`No ${noun} ${id}`, path);
    return { id: projectId, ...(collection === 'projects' && doc?.name ? { name: doc.name } : {}) };
  };

export const projectArg = projectVia('projects', 'project');
export const projectOfService = projectVia('services', 'service');
export const projectOfDeployment = projectVia('deployments', 'deployment');
