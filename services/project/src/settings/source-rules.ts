import { DomainError } from '@slipway/messaging';
import type { CallerStanding, ServiceSource, ServiceSourceInput } from '@slipway/proto';

/**
 * Where a service's code may come from: one rule wherever a source is set (createService,
 * updateServiceSettings). A git source is fetched by the build service on this host, so a local
 * repository (file://, a path) would read the host's own files, other projects' caches included:
 * only the instance owner, who owns the host, may name one. Plain http shows the code (and any
 * token) to the network: only to hosts the instance owner allows. An image in Slipway's registry
 * under another project's name is that project's build: not for another project's services. An
 * uploaded archive is the project's it was uploaded for (POST /archives?projectId=…), for everyone:
 * uploading it again for the other project is one request.
 */
export interface SourcePolicy {
  callerStanding: CallerStanding;
  /** Instance settings: hosts (host or host:port) git may reach over plain http. */
  allowedHttpGitHosts: readonly string[];
  /** For an image named `<Slipway's registry>/<name>/…`: the project that owns <name>, if one does. */
  imageProject?: { name: string; projectId: string };
  /** For an archive source: the project it was uploaded for; null when no such upload is kept. */
  archiveProjectId?: string | null;
}

export const SOURCE_RULE =
  'a git source may be https:// or ssh (ssh://host/path or git@host:path); plain http:// only to a host the instance owner ' +
  'lists in the instance settings (allowedHttpGitHosts); file:// and local paths only for the instance owner';

const SCP_LIKE = /^(?:([A-Za-z0-9._~-]+)@)?([A-Za-z0-9.-]+):(?!\/\/)/;

/** https://user:secret@host/x → https://***@host/x: a refusal never repeats a credential. */
const shown = (url: string) => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@').slice(0, 200);

type GitUrl =
  | { kind: 'https' | 'ssh' | 'local' }
  | { kind: 'http'; hostname: string; port: string }
  | { kind: 'refused'; reason: string };

/** What git would do with the URL, read the way git and curl read it (anything ambiguous is refused). */
export const classifyGitUrl = (url: string): GitUrl => {
  if (url.startsWith('-')) return { kind: 'refused', reason: 'git would read it as an option' };
  if (url !== url.trim() || /[\s\0-\x1f\x7f\\]/.test(url)) return { kind: 'refused', reason: 'it contains spaces, control characters or "\\"' };
  if (url.includes('::')) return { kind: 'refused', reason: 'a "transport::address" URL makes git run a helper program' };
  if (/^file:/i.test(url) || url.startsWith('/')) return { kind: 'local' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1].toLowerCase();
  if (scheme) {
    const authority = url.slice(scheme.length + 3).split('/')[0];
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    if (!host || host.startsWith('-')) return { kind: 'refused', reason: 'it names no host' };
    if (scheme === 'https') return { kind: 'https' };
    if (['ssh', 'git+ssh', 'ssh+git'].includes(scheme)) return { kind: 'ssh' };
    if (scheme === 'http') {
      const parsed = URL.parse(url);
      if (!parsed?.hostname) return { kind: 'refused', reason: 'it names no host' };
      return { kind: 'http', hostname: parsed.hostname.toLowerCase(), port: parsed.port || '80' };
    }
    return { kind: 'refused', reason: `${scheme}:// is not a transport Slipway fetches from${scheme === 'git' ? ' (unencrypted and unauthenticated)' : ''}` };
  }
  const scp = SCP_LIKE.exec(url);
  if (scp && !scp[2].startsWith('-') && !(scp[1] ?? '').startsWith('-')) return { kind: 'ssh' };
  return { kind: 'refused', reason: 'it is not a URL git can fetch from here' };
};

/** An entry allows a host on any port, or on the one port it names. */
export const httpHostAllowed = (hostname: string, port: string, allowed: readonly string[]): boolean =>
  allowed.some((entry) => entry === hostname || entry === `${hostname}:${port}`);

const refuse = (message: string, field: string): never => {
  throw new DomainError('SOURCE_NOT_ALLOWED', message, field);
};

const refuseGitUrl = (url: string, policy: SourcePolicy, field: string): void => {
  const git = classifyGitUrl(url);
  const owner = policy.callerStanding === 'instance-owner';
  switch (git.kind) {
    case 'https':
    case 'ssh':
      return;
    case 'local':
      if (owner) return;
      return refuse(
        `Git source "${shown(url)}" is a repository on Slipway's own host: only the instance owner may build one. ` +
          `Push the code to a git server and give its https:// or ssh URL (${SOURCE_RULE})`,
        field,
      );
    case 'http': {
      if (httpHostAllowed(git.hostname, git.port, policy.allowedHttpGitHosts)) return;
      const host = git.port === '80' ? git.hostname : `${git.hostname}:${git.port}`;
      return refuse(
        `Git source "${shown(url)}" uses plain http to ${host}, which is not among the instance's allowedHttpGitHosts: ` +
          `use its https:// or ssh URL, or ask the instance owner to allow ${host} (${SOURCE_RULE})`,
        field,
      );
    }
    case 'refused':
      return refuse(`Git source "${shown(url)}" is not allowed: ${git.reason}. Give an https:// or ssh URL (${SOURCE_RULE})`, field);
  }
};

const refuseForeignArchive = (archiveId: string, projectId: string, policy: SourcePolicy, field: string): void => {
  const upload = `upload the source again with POST /archives?projectId=${projectId} and use the archiveId it answers`;
  if (!policy.archiveProjectId) {
    refuse(`Archive ${archiveId} is not among the uploads: it was never uploaded, or it was deleted after an hour unused; ${upload}`, field);
  }
  if (policy.archiveProjectId !== projectId) {
    refuse(`Archive ${archiveId} was uploaded for another project: a service may use only archives uploaded for its own project; ${upload}`, field);
  }
};

/**
 * Throws SOURCE_NOT_ALLOWED naming `<prefix>source.git.url`, `.image.ref` or `.archive.id` (the
 * GraphQL input's names) when the source breaks the rule; `projectId` is the service's project.
 */
export const refuseDisallowedSource = (
  source: ServiceSource | ServiceSourceInput,
  projectId: string,
  policy: SourcePolicy,
  fieldPrefix = '',
): void => {
  if (source.kind === 'git') return refuseGitUrl(source.url, policy, `${fieldPrefix}source.git.url`);
  if (source.kind === 'archive') return refuseForeignArchive(source.archiveId, projectId, policy, `${fieldPrefix}source.archive.id`);
  if (source.kind !== 'image' || !policy.imageProject || policy.callerStanding === 'instance-owner') return;
  const { name, projectId: owner } = policy.imageProject;
  if (owner === projectId) return;
  refuse(
    `Image "${source.ref}" is one of project ${name}'s builds in Slipway's registry: a service may use only its own project's images there. ` +
      `Give an image of this project, or one from another registry`,
    `${fieldPrefix}source.image.ref`,
  );
};

const LOOPBACK = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]|0\.0\.0\.0)$/;
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const hostAndPort = (domain: string): [string, string] => {
  const at = domain.lastIndexOf(':');
  return at > domain.lastIndexOf(']') ? [domain.slice(0, at), domain.slice(at + 1)] : [domain, ''];
};

/** The registry the reference names is Slipway's: its address, or a loopback name for it on the same port. */
const isSlipwayRegistry = (domain: string, registry: string): boolean => {
  if (domain === registry.toLowerCase()) return true;
  const [host, port] = hostAndPort(domain);
  const [registryHost, registryPort] = hostAndPort(registry.toLowerCase());
  return port === registryPort && LOOPBACK.test(host) && LOOPBACK.test(registryHost);
};

/**
 * The project an image reference names in Slipway's registry, where the build service pushes
 * `<registry>/<project>/<service>:<tag>`; undefined for any other registry or naming.
 */
export const slipwayImageProject = (ref: string, registry: string): string | undefined => {
  const name = ref.split('@')[0];
  const parts = name.split('/');
  if (parts.length < 3) return undefined;
  const domain = parts[0].toLowerCase();
  if (!isSlipwayRegistry(domain, registry)) return undefined;
  return DNS_LABEL.test(parts[1]) ? parts[1] : undefined;
};
