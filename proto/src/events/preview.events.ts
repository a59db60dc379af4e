import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';

const gitProvider = z.enum(['github', 'gitlab', 'gitea']);

const pullRequestReceivedV1 = z.object({
  projectId: id,
  provider: gitProvider,
  number: z.number().int().min(1),
  action: z.string().min(1),
  headRef: z.string().min(1),
  headSha: z.string().min(7),
  repositoryUrl: z.string().min(1),
  deliveryId: z.string().min(1),
});

/**
 * A pull or merge request event from a git host, for the preview environments built on it.
 * v2 (issue 12): `action` is the host's word mapped to opened | updated | closed (see the gateway's
 * pull-request-payloads.ts); `title`, `merged`, `fromFork` (the head lives in another repository:
 * nothing runs until a project admin approves), `htmlUrl`, `author`. v1 kept the host's own action.
 */
export const PullRequestReceived = defineEvent('PullRequestReceived', { context: 'preview', aggregate: 'pull-request' }, pullRequestReceivedV1).withVersion(
  pullRequestReceivedV1.extend({
    action: z.enum(['opened', 'updated', 'closed']),
    title: z.string().max(500),
    merged: z.boolean(),
    fromFork: z.boolean(),
    htmlUrl: z.string().max(2000),
    author: z.string().max(200),
  }),
  (v1) => ({
    ...v1,
    action: ({ opened: 'opened', reopened: 'opened', synchronize: 'updated', synchronized: 'updated', update: 'updated', closed: 'closed', merge: 'closed' } as Record<string, 'opened' | 'updated' | 'closed'>)[v1.action] ?? 'updated',
    title: '',
    merged: v1.action === 'merge',
    fromFork: false,
    htmlUrl: '',
    author: '',
  }),
);

const where = { context: 'preview', aggregate: 'preview' } as const;
/** `pr-12` for a pull request, `br-<branch>` for a manual preview: it names the copies (`<service>-pr-12-<project>`). */
export const previewSlug = z.string().regex(/^(pr-[0-9]{1,9}|br-[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?)$/);
export const previewReason = z.enum(['closed', 'merged', 'expired', 'destroyed', 'project-deleted']);

/**
 * A preview of the whole project: a pull request opened (or reopened) on a repository the project
 * tracks, or createPreview for a branch. `approvalNeeded`: from a fork, nothing runs until approved.
 */
export const PreviewRequested = defineEvent(
  'PreviewRequested',
  where,
  z.object({
    previewId: id,
    projectId: id,
    slug: previewSlug,
    /** The pull request's number; null for a manual preview of a branch. */
    number: z.number().int().min(1).nullable(),
    title: z.string().max(500),
    provider: gitProvider.nullable(),
    htmlUrl: z.string().max(2000).nullable(),
    /** The repository whose services are built at the head commit; the others run their current image. */
    repositoryUrl: z.string().min(1),
    headRef: z.string().min(1),
    /** The commit to build; null for a manual preview, built at its branch's head. */
    headSha: z.string().min(7).nullable(),
    fromFork: z.boolean(),
    approvalNeeded: z.boolean(),
    requestedAt: timestamp,
    /** Torn down when idle (no push, no approval) until then. */
    expiresAt: timestamp,
  }),
);
/** A new head commit: the services built from the repository are built and rolled out again. */
export const PreviewHeadMoved = defineEvent('PreviewHeadMoved', where, z.object({ previewId: id, headSha: z.string().min(7), title: z.string().max(500).optional(), movedAt: timestamp, expiresAt: timestamp }));
/** A project admin let a fork's preview run (with the project's secrets). */
export const PreviewApproved = defineEvent('PreviewApproved', where, z.object({ previewId: id, approvedBy: z.string().min(1), approvedAt: timestamp, expiresAt: timestamp }));
/** Idle past its expiry: torn down (PreviewDestroyRequested follows). */
export const PreviewExpired = defineEvent('PreviewExpired', where, z.object({ previewId: id, idleSince: timestamp, expiredAt: timestamp }));
/** Closed, merged, expired or destroyed by a person: everything of it goes (services, network, routes, volumes, images). */
export const PreviewDestroyRequested = defineEvent('PreviewDestroyRequested', where, z.object({ previewId: id, reason: previewReason, requestedAt: timestamp }));
/** Nothing of it is left; `removed` says what went. */
export const PreviewDestroyed = defineEvent(
  'PreviewDestroyed',
  where,
  z.object({
    previewId: id,
    removed: z.object({ services: z.array(z.string()), networks: z.array(z.string()), volumes: z.array(z.string()), images: z.array(z.string()) }),
    destroyedAt: timestamp,
  }),
);
/** The comment on the pull request was written (created once, then edited in place). */
export const PreviewCommentPosted = defineEvent(
  'PreviewCommentPosted',
  where,
  z.object({ previewId: id, commentId: z.string().min(1), headSha: z.string().min(7), digest: z.string().min(1), postedAt: timestamp }),
);
/** The comment could not be written (no token, refused, host down): said on the preview, retried at the next change. */
export const PreviewCommentFailed = defineEvent('PreviewCommentFailed', where, z.object({ previewId: id, reason: z.string().min(1).max(500), failedAt: timestamp }));

/** A project's preview settings (stream preview/preview-settings/<projectId>); defaults: 7 idle days, 5 running. */
export const PreviewSettingsChanged = defineEvent(
  'PreviewSettingsChanged',
  { context: 'preview', aggregate: 'preview-settings' },
  z.object({ projectId: id, idleDays: z.number().int().min(1).max(365), maxRunning: z.number().int().min(1).max(100) }),
);
export const PREVIEW_DEFAULTS = { idleDays: 7, maxRunning: 5 } as const;

/** Deploy's record of a preview's runtime (stream deploy/preview-runtime/<previewId>). */
export const PreviewRuntimeRemoved = defineEvent(
  'PreviewRuntimeRemoved',
  { context: 'deploy', aggregate: 'preview-runtime' },
  z.object({
    previewId: id,
    /** The PreviewDestroyRequested it answers (a reopened pull request's preview is torn down again later). */
    requestId: z.string().min(1),
    services: z.array(z.string()),
    networks: z.array(z.string()),
    volumes: z.array(z.string()),
    images: z.array(z.string()),
    removedAt: timestamp,
  }),
);

export const previewEvents = [
  PullRequestReceived,
  PreviewRequested,
  PreviewHeadMoved,
  PreviewApproved,
  PreviewExpired,
  PreviewDestroyRequested,
  PreviewDestroyed,
  PreviewCommentPosted,
  PreviewCommentFailed,
  PreviewRuntimeRemoved,
  PreviewSettingsChanged,
] as const;
