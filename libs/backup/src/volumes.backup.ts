import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DockerEngine } from '@slipway/docker-engine';

const run = promisify(execFile);

/** A Docker volume of a service in a backup: its name and labels as Docker had them, and its files as a tar. */
export interface VolumeEntry {
  name: string;
  labels: Record<string, string>;
  file: string;
  bytes: number;
}

/**
 * Copies the files of each production volume of the projects (not preview copies': previews
 * deploy again from their pull requests) with `tar`, from where the local driver keeps them: the
 * backup runs as root on the node that holds them (volumes are local to a node, ADR 0018). The
 * files are read while the apps run: a database should also be dumped with its own tool.
 */
export const backupVolumes = async (docker: DockerEngine, projectIds: ReadonlySet<string>, dir: string, progress: (line: string) => void): Promise<VolumeEntry[]> => {
  const { Volumes } = await docker.listVolumes({ label: ['slipway.managed=true'] });
  const entries: VolumeEntry[] = [];
  for (const v of Volumes ?? []) {
    const labels = v.Labels ?? {};
    if (!projectIds.has(labels['slipway.project'] ?? '') || labels['slipway.preview'] || !v.Mountpoint) continue;
    const file = `${v.Name}.tar`;
    await run('tar', ['-C', v.Mountpoint, '-cf', join(dir, file), '.']);
    const bytes = statSync(join(dir, file)).size;
    progress(`volume ${v.Name}: ${bytes} bytes`);
    entries.push({ name: v.Name, labels, file, bytes });
  }
  return entries;
};

/** Creates each volume with its labels and puts its files back; a volume that already holds files is refused, never overwritten. */
export const restoreVolumes = async (docker: DockerEngine, entries: readonly VolumeEntry[], dir: string, progress: (line: string) => void): Promise<void> => {
  for (const entry of entries) {
    const volume = await docker.createVolume(entry.name, entry.labels);
    if (!volume.Mountpoint) throw new Error(`Docker gave no place on disk for the volume ${entry.name}: restore on the node that runs Docker`);
    if (readdirSync(volume.Mountpoint).length > 0) {
      throw new Error(`The volume ${entry.name} already holds files: restore onto a fresh machine, or remove the volume first (docker volume rm ${entry.name})`);
    }
    await run('tar', ['-C', volume.Mountpoint, '--same-owner', '-xf', join(dir, entry.file)]);
    progress(`volume ${entry.name}: ${entry.bytes} bytes back`);
  }
};
