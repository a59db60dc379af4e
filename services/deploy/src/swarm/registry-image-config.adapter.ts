import { registryAuthFor } from '@slipway/secret-box';
import type { ImageProcess } from './secret-env.plan';

/** Reads what an image runs (its ENTRYPOINT and CMD) and the ports it EXPOSEs, without pulling it. */
export type ImageProcessReader = (imageRef: string) => Promise<ImageProcess>;

export interface RegistryCredentials {
  username: string;
  password: string;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** The registry's platform names for this machine's (the deploy service runs on a Swarm node). */
const platformArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

/**
 * The one HTTP request to a registry: every read of the image config goes through here, with
 * basic auth when credentials are given.
 */
export const registryGet = async (url: string, accept: string, credentials?: RegistryCredentials): Promise<unknown> => {
  const headers: Record<string, string> = { accept };
  if (credentials) headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
  if (!res.ok) throw new Error(`the registry answered HTTP ${res.status} to GET ${url}`);
  return res.json();
};

/** `host[:port]/repo/path[:tag][@digest]` → its parts; the registry host is required. */
export const parseRegistryRef = (imageRef: string) => {
  const m = /^([^/]+)\/([^:@]+)(?::([^@/]+))?(?:@(sha256:[0-9a-f]{64}))?$/.exec(imageRef);
  if (!m || !/[.:]|^localhost$/.test(m[1])) throw new Error(`${imageRef} names no registry`);
  return { registry: m[1], repository: m[2], reference: m[4] ?? m[3] ?? 'latest' };
};

interface Manifest {
  config?: { digest: string };
  manifests?: { digest: string; platform?: { os?: string; architecture?: string } }[];
}

/**
 * Image config from the registry's HTTP API (manifest, then config blob): the image need not be on
 * this node. A loopback registry is spoken to over HTTP, as Docker does; any other over HTTPS.
 */
export const registryImageProcessReader =
  (options: { credentials?: RegistryCredentials } = {}): ImageProcessReader =>
  async (imageRef) => {
    const ref = parseRegistryRef(imageRef);
    // Slipway's own registry signs in every client: the deploy service reads as itself there.
    const credentials = options.credentials ?? registryAuthFor('deploy', ref.registry);
    const scheme = /^(127\.|localhost(:|$)|\[::1\])/.test(ref.registry) ? 'http' : 'https';
    const base = `${scheme}://${ref.registry}/v2/${ref.repository}`;
    let manifest = (await registryGet(`${base}/manifests/${ref.reference}`, MANIFEST_TYPES, credentials)) as Manifest;
    if (manifest.manifests) {
      const arch = platformArch[process.arch] ?? process.arch;
      const entry = manifest.manifests.find((m) => m.platform?.os === 'linux' && m.platform.architecture === arch);
      if (!entry) throw new Error(`${imageRef} has no linux/${arch} image`);
      manifest = (await registryGet(`${base}/manifests/${entry.digest}`, MANIFEST_TYPES, credentials)) as Manifest;
    }
    if (!manifest.config?.digest) throw new Error(`the registry gave no image config for ${imageRef}`);
    const image = (await registryGet(`${base}/blobs/${manifest.config.digest}`, 'application/json', credentials)) as {
      config?: { Entrypoint?: string[] | null; Cmd?: string[] | null; ExposedPorts?: Record<string, unknown> | null };
    };
    return { entrypoint: image.config?.Entrypoint ?? [], cmd: image.config?.Cmd ?? [], exposedPorts: Object.keys(image.config?.ExposedPorts ?? {}) };
  };
