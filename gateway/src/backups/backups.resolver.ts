import { GraphQLError } from 'graphql';
import { ulid } from 'ulid';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { CreateBackup } from '@slipway/proto';
import { instanceOwner, type OperationRules } from '../auth/operation-rules';
import { asGraphqlError, badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import type { BackupView } from './backups.projection';

const collection = async (ctx: GatewayContext) => (await ctx.readStore.db()).collection<BackupView & { _id: string }>('backups');

export const backupsResolvers = {
  Query: {
    backups: async (_: unknown, { first }: { first?: number | null }, ctx: GatewayContext) => {
      const limit = first ?? 10;
      if (limit < 1 || limit > 100) throw badInput('first must be between 1 and 100', 'first');
      const docs = await (await collection(ctx)).find({}).sort({ requestedAt: -1, _id: -1 }).limit(limit).toArray();
      return docs.map((d) => strip(d) as BackupView);
    },
  },
  Mutation: {
    createBackup: async (_: unknown, __: unknown, ctx: GatewayContext) => {
      const backupId = `bk_${ulid().toLowerCase()}`;
      await sendCommand(ctx.platform.connection, CreateBackup, { backupId }, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
      const backup = await awaitView<BackupView>(ctx, 'backups', backupId);
      if (!backup) throw new GraphQLError(`Backup ${backupId} was asked for, but it is not readable yet: look at backups in a moment`, { extensions: { code: 'NOT_READY' } });
      return backup;
    },
  },
};

export const backupsRules: OperationRules = {
  'Query.backups': instanceOwner('read the backups'),
  'Mutation.createBackup': instanceOwner('write a backup'),
};
