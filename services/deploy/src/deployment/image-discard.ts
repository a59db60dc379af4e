import { registryAuthHeader } from '@slipway/secret-box';
/**
 * After a failed roll-out, the image it tried is of no use: delete it from the local registry so
 * nothing is left behind — unless another tag of the repository (an earlier, working deployment of
 * the same content) points at the same manifest, which a delete by digest would take with it.
 */
const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const parseRef = (imageRef: string) => {
  const m = /^([^/]+)\/(.+):([^:@/]+)$/.exec(imageRef);
  return m ? { registry: m[1], repository: m[2], tag: m[3] } : undefined;
};

const digestOf = async (base: string, repository: string, tag: string): Promise<string | undefined> => {
  const res = await fetch(`${base}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MANIFEST, ...registryAuthHeader('deploy') } });
  return res.ok ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
};

export const discardImage = async (imageRef: string, keepDigests: string[] = []): Promise<'deleted' | 'kept' | 'absent'> => {
  const ref = parseRef(imageRef);
  if (!ref) return 'absent';
  const base = `http://${ref.registry}`;
  const digest = await digestOf(base, ref.repository, ref.tag);
  if (!digest) return 'absent';
  if (keepDigests.includes(digest)) return 'kept';
  const tags = ((await (await fetch(`${base}/v2/${ref.repository}/tags/list`, { headers: registryAuthHeader('deploy') })).json()) as { tags?: string[] }).tags ?? [];
  for (const other of tags.filter((t) => t !== ref.tag)) {
    if ((await digestOf(base, ref.repository, other)) === digest) return 'kept';
  }
  const res = await fetch(`${base}/v2/${ref.repository}/manifests/${digest}`, { method: 'DELETE', headers: registryAuthHeader('deploy') });
  if (!res.ok && res.status !== 404) throw new Error(`Registry refused to delete ${imageRef}: HTTP ${res.status}`);
  return 'deleted';
};
