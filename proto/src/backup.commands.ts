import { z } from 'zod';
import { defineCommand } from './commands';
import { id } from './events/common';

/** Writes a backup archive now (the instance owner's); the backup part answers at once and writes it in the background. */
export const CreateBackup = defineCommand('backup', 'create-backup', z.object({ backupId: id }));

export const backupCommands = [CreateBackup] as const;
