import { z } from 'zod';
import { defineCommand } from './commands';
import { id } from './events/common';

/** Starts a clean-up run now (the instance owner's); `dryRun` lists what it would remove and removes nothing. */
export const RunCleanup = defineCommand('deploy', 'run-cleanup', z.object({ runId: id, dryRun: z.boolean() }));

export const cleanupCommands = [RunCleanup] as const;
