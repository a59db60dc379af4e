import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id } from './common';

/** A pull or merge request event from a git host, for the preview environments built on it. */
export const PullRequestReceived = defineEvent(
  'PullRequestReceived',
  { context: 'preview', aggregate: 'pull-request' },
  z.object({
    projectId: id,
    provider: z.enum(['github', 'gitlab', 'gitea']),
    number: z.number().int().min(1),
    action: z.string().min(1),
    headRef: z.string().min(1),
    headSha: z.string().min(7),
    repositoryUrl: z.string().min(1),
    deliveryId: z.string().min(1),
  }),
);

export const previewEvents = [PullRequestReceived] as const;
