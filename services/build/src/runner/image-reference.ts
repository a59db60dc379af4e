/** The parts of an image reference: [domain/]path[:tag][@digest]. */
export interface ImageReference {
  /** Everything before the tag and digest, domain included when given. */
  repository: string;
  /** The registry host when the reference names one (it has a '.' or a ':', or is localhost). */
  domain?: string;
  tag?: string;
  digest?: string;
}

export const parseImageReference = (ref: string): ImageReference => {
  const [name, digest] = ref.split('@', 2) as [string, string | undefined];
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? name : name.slice(0, colon);
  const tag = colon === -1 ? undefined : name.slice(colon + 1);
  const first = repository.split('/')[0];
  const domain = repository.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : undefined;
  return { repository, ...(domain ? { domain } : {}), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
};

/** Where a service's images go: `<registry>/<project>/<service>`. */
export const serviceRepository = (registry: string, projectName: string, serviceName: string): string =>
  `${registry}/${projectName}/${serviceName}`;

/** Images built from git are tagged by commit: the first 12 hex digits. */
export const commitTag = (commitSha: string): string => commitSha.slice(0, 12);

/**
 * An image source keeps a tag derived from its own reference: its tag (`node:24-slim` → `24-slim`),
 * else its digest (`sha256-` and 12 hex digits), else `latest`.
 */
export const tagFromSource = (source: ImageReference): string => {
  if (source.tag) return source.tag;
  if (source.digest) return `${source.digest.replace(':', '-').slice(0, 'sha256-'.length + 12)}`;
  return 'latest';
};

/** The tag that holds a build's image before it is tagged for the registry and pushed. */
export const localBuildTag = (projectName: string, serviceName: string, buildId: string): string =>
  `${projectName}/${serviceName}:build-${buildId.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 100)}`;
