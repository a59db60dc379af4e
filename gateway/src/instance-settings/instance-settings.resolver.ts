import { GraphQLError } from 'graphql';
import { CommandRejected, newCommandMetadata, sendCommand } from '@slipway/messaging';
import { INSTANCE_ID, SetInstanceSettings } from '@slipway/proto';
import { instanceOwner, signedIn, type OperationRules } from '../auth/operation-rules';
import { badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { awaitPosition } from '../service-settings/await-position';
import { defaultInstanceSettings, type InstanceSettingsView } from './instance-settings.projection';

/** Positions in the read models are kept per <context>_<aggregate> (read-models/projection.ts). */
const STREAM = 'project_instance-settings';

const read = async (ctx: GatewayContext, version: number | null): Promise<InstanceSettingsView> =>
  (await awaitPosition<InstanceSettingsView>(ctx, 'instance_settings', INSTANCE_ID, STREAM, version)) ?? defaultInstanceSettings;

interface SetInstanceSettingsArgs {
  baseDomain?: string | null;
  acmeDirectory?: string | null;
  allowedHttpGitHosts?: string[] | null;
}

export const instanceSettingsResolvers = {
  InstanceSettings: {
    // A view written before the list existed has none.
    allowedHttpGitHosts: (view: Partial<InstanceSettingsView>) => view.allowedHttpGitHosts ?? [],
  },
  Query: {
    instanceSettings: (_: unknown, __: unknown, ctx: GatewayContext) => read(ctx, null),
  },
  Mutation: {
    setInstanceSettings: async (_: unknown, args: SetInstanceSettingsArgs, ctx: GatewayContext) => {
      const data: { baseDomain?: string; acmeDirectory?: string | null; allowedHttpGitHosts?: string[] } = {};
      if (args.baseDomain != null) data.baseDomain = args.baseDomain.trim().toLowerCase().replace(/\.$/, '');
      if (args.acmeDirectory != null) data.acmeDirectory = args.acmeDirectory.trim() || null;
      if (args.allowedHttpGitHosts != null) data.allowedHttpGitHosts = args.allowedHttpGitHosts.map((host) => host.trim().toLowerCase());
      if (Object.keys(data).length === 0) throw badInput('Give baseDomain, acmeDirectory or allowedHttpGitHosts', 'baseDomain');
      const reply = await sendCommand(ctx.platform.connection, SetInstanceSettings, data, newCommandMetadata(ctx.actor)).catch((err: unknown) => {
        if (!(err instanceof CommandRejected)) throw err;
        const field = err.field?.replace(/^data\./, '') ?? 'baseDomain';
        throw new GraphQLError(err.message, { extensions: { code: err.code, field } });
      });
      return read(ctx, typeof reply.version === 'number' ? reply.version : null);
    },
  },
};

export const instanceSettingsRules: OperationRules = {
  'Query.instanceSettings': signedIn,
  'Mutation.setInstanceSettings': instanceOwner('change the instance settings'),
};
