import { BuildError } from './build-error';
import type { BuildOutcome } from './build-job';
import { publishImage, type BuildRun } from './build-run';
import { inspectImage, pullImage } from './docker-image.adapter';
import { parseImageReference, serviceRepository, tagFromSource } from './image-reference';

const hexOf = (digest: string) => digest.replace(/^sha256:/, '');

/**
 * A ready image: nothing to build. One already in the local registry is only resolved to its
 * digest; any other is taken from this Engine (or pulled) and pushed to the local registry under
 * the service's repository, so every swarm node can pull it. Its "commit" is the hex of the
 * source image's digest (or image id when it never came from a registry).
 */
export const publishImageSource = async (run: BuildRun, ref: string): Promise<BuildOutcome> => {
  const source = parseImageReference(ref);
  // A name without tag or digest would pull every tag of the repository.
  const pullRef = source.tag || source.digest ? ref : `${ref}:latest`;
  if (source.domain === run.config.registry) {
    run.log.system(`${ref} is in the local registry: resolving its digest`);
    await pullImage(run.docker, pullRef, run.signal, run.log);
    const info = await inspectImage(run.docker, pullRef);
    const digest =
      source.digest ?? info?.RepoDigests?.find((repoDigest) => repoDigest.startsWith(`${source.repository}@`))?.split('@')[1];
    if (!digest) throw new BuildError(`The local registry gave no digest for ${ref}`);
    run.onStarted({ commitSha: hexOf(digest), strategy: 'image' });
    return { imageRef: ref, digest, commitSha: hexOf(digest), strategy: 'image' };
  }
  let info = await inspectImage(run.docker, pullRef);
  if (!info) {
    run.log.system(`Pulling ${pullRef}`);
    await pullImage(run.docker, pullRef, run.signal, run.log);
    info = await inspectImage(run.docker, pullRef);
    if (!info) throw new BuildError(`Image "${ref}" is not on this Engine after pulling it`);
  }
  // Only a digest of the source's own repository describes it; a local image has its id.
  const ownDigest = info.RepoDigests?.find((repoDigest) => repoDigest.startsWith(`${source.repository}@`))?.split('@')[1];
  const sourceDigest = source.digest ?? ownDigest ?? info.Id;
  const commitSha = hexOf(sourceDigest);
  run.onStarted({ commitSha, strategy: 'image' });
  const repository = serviceRepository(run.config.registry, run.job.projectName, run.job.serviceName);
  const published = await publishImage(run, info.Id, repository, tagFromSource(source));
  return { ...published, commitSha, strategy: 'image' };
};
