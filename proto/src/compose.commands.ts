import { z } from 'zod';
import { callerStanding, defineCommand, serviceSourceInput } from './commands';
import { id } from './events/common';

const gitSourceInput = serviceSourceInput.options[0];
/** A repository file's text by its path; null: the repository has no such file. */
const sourceFiles = z.record(z.string().max(1024), z.string().max(512 * 1024).nullable());

/**
 * Reads a project's Compose file and reconciles its services (project service). Without `origin`
 * the project's stored one is read again (before a deploy). The project service decides which
 * files it needs: it answers `{ needFiles }` until `files` holds them (read by ReadSourceFiles),
 * then `{ result }` (ImportComposeAnswer).
 */
export const ImportCompose = defineCommand(
  'project',
  'import-compose',
  z.object({
    projectId: id,
    /** `path` absent: the first of compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml at the root. */
    origin: z.object({ source: gitSourceInput, path: z.string().min(1).max(1024).optional() }).optional(),
    commit: z.string().max(64).optional(),
    files: sourceFiles,
    callerStanding: callerStanding.optional(),
    /** Only say what would be done (the console's preview): nothing is created or changed. */
    dryRun: z.boolean().optional(),
  }),
);

export interface ComposePreviewService {
  name: string;
  action: 'create' | 'update' | 'unchanged' | 'delete';
  image: string | null;
  buildContext: string | null;
  dockerfilePath: string | null;
  port: number | null;
  portReason: string | null;
  dependsOn: string[];
  volumes: string[];
  replicas: number;
  changes: string[];
}

export type ImportComposeAnswer =
  | { kind: 'not-compose' }
  | {
      kind: 'need-files';
      source: z.infer<typeof gitSourceInput>;
      /** The project's name: the build service keeps one git cache per project. */
      cacheScope: string;
      paths: string[];
    }
  | { kind: 'preview'; commit: string; services: ComposePreviewService[]; warnings: string[] }
  | {
      kind: 'reconciled';
      services: { name: string; serviceId: string }[];
      added: string[];
      changed: { name: string; fields: string[] }[];
      removed: { name: string; serviceId: string }[];
      warnings: string[];
      /** The project stream's position after the change (the read model waits for it); null when nothing changed. */
      version: number | null;
    };

/**
 * Reads files of a git source at a ref (build service: it holds the git credentials' key and the
 * caches). Answers `{ commit, files }` with null for a path the commit does not have. A read, no event.
 */
export const ReadSourceFiles = defineCommand(
  'build',
  'read-source-files',
  z.object({ source: gitSourceInput, cacheScope: z.string().min(1).max(63), paths: z.array(z.string().min(1).max(1024)).min(1).max(50) }),
);
export interface SourceFilesAnswer {
  commit: string;
  files: Record<string, string | null>;
}

export const composeCommands = [ImportCompose, ReadSourceFiles] as const;
