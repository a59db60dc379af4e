import type Docker from 'dockerode';
import type { BuildLog } from './build-log';
import type { BuildConfig, BuildHooks, BuildJob } from './build-job';
import { inspectImage, pushImage, tagImage, untagImage } from './docker-image.adapter';

/** Undo actions of one build, run last-first whether it succeeded or not; they never throw. */
export class CleanUp {
  private readonly actions: { what: string; run: () => Promise<unknown> }[] = [];

  add(what: string, run: () => Promise<unknown>): void {
    this.actions.push({ what, run });
  }

  async runAll(log: BuildLog): Promise<void> {
    for (const action of this.actions.reverse()) {
      try {
        await action.run();
      } catch (err) {
        log.system(`Clean-up of ${action.what} failed: ${(err as Error).message}`);
      }
    }
    this.actions.length = 0;
  }
}

/** Everything one build's steps share. */
export interface BuildRun {
  job: BuildJob;
  config: BuildConfig;
  docker: Docker;
  log: BuildLog;
  signal: AbortSignal;
  onStarted: BuildHooks['onStarted'];
  cleanUp: CleanUp;
}

/**
 * Tags an image `repository:tag` and pushes it. The registry tag stays on this Engine (the swarm
 * node here pulls nothing, and its layers are the next build's cache); if the push fails, a tag
 * this call created is removed again.
 */
export const publishImage = async (run: BuildRun, image: string, repository: string, tag: string): Promise<{ imageRef: string; digest: string }> => {
  const imageRef = `${repository}:${tag}`;
  const existed = (await inspectImage(run.docker, imageRef)) !== undefined;
  await tagImage(run.docker, image, repository, tag);
  try {
    const started = Date.now();
    run.log.system(`Pushing ${imageRef}`);
    const digest = await pushImage(run.docker, repository, tag, run.signal, run.log);
    run.log.system(`Pushed ${imageRef}@${digest} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { imageRef, digest };
  } catch (err) {
    if (!existed) await untagImage(run.docker, imageRef).catch(() => undefined);
    throw err;
  }
};
