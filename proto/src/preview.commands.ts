import { z } from 'zod';
import { defineCommand } from './commands';
import { id } from './events/common';

/** A preview of a branch without a webhook: services from `repositoryUrl` (default: the project's first git service's) are built at `ref`. */
export const CreatePreview = defineCommand(
  'preview',
  'create-preview',
  z.object({ previewId: id, projectId: id, ref: z.string().min(1).max(255), repositoryUrl: z.string().min(1).max(2000) }),
);
/** Tears a preview down now (a person's choice): services, network, routes, volumes, images. */
export const DestroyPreview = defineCommand('preview', 'destroy-preview', z.object({ previewId: id }));
/** A fork's pull request runs (with the project's secrets) once a project admin says so. */
export const ApprovePreview = defineCommand('preview', 'approve-preview', z.object({ previewId: id }));
/** How long an idle preview lives, and how many may run at once in a project. */
export const SetPreviewSettings = defineCommand(
  'preview',
  'set-preview-settings',
  z.object({ projectId: id, idleDays: z.number().int().min(1).max(365), maxRunning: z.number().int().min(1).max(100) }),
);

export const previewCommands = [CreatePreview, DestroyPreview, ApprovePreview, SetPreviewSettings] as const;
