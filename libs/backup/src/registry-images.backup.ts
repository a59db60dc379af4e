import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** An image of Slipway's registry in a backup: its repository, tag, manifest digest, and every blob it needs. */
export interface ImageEntry {
  ref: string;
  repository: string;
  tag?: string;
  digest: string;
  /** Manifests by digest, children of an index first, the image's own last. */
  manifests: { digest: string; mediaType: string }[];
  blobs: string[];
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

/** `127.0.0.1:5000/shop/web:v3@sha256:…` → its registry, repository and tag or digest. */
export const parseImageRef = (ref: string): { registry: string; repository: string; tag?: string; digest?: string } => {
  const [name, digest] = ref.split('@');
  const slash = name.indexOf('/');
  const registry = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  const [repository, tag] = colon > 0 ? [rest.slice(0, colon), rest.slice(colon + 1)] : [rest, undefined];
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
};

const hex = (digest: string) => digest.replace(/^sha256:/, '');

/** The registry's HTTP API (v2), signed in with basic auth: what `docker push` and `pull` use, without Docker. */
export class RegistryHttp {
  constructor(
    private readonly address: string,
    private readonly auth: { username?: string; password?: string },
  ) {}

  private async call(method: string, path: string, init: { headers?: Record<string, string>; body?: RequestInit['body']; okStatus?: number[] } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.auth.username) headers.authorization = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password ?? ''}`).toString('base64')}`;
    const url = path.startsWith('http') ? path : `http://${this.address}${path}`;
    const res = await fetch(url, { method, headers, body: init.body, signal: AbortSignal.timeout(300_000), ...(init.body ? { duplex: 'half' } : {}) } as RequestInit);
    if (!(init.okStatus ?? [200]).includes(res.status)) {
      const text = await res.text().catch(() => '');
      throw new Error(`The registry at ${this.address} answered ${res.status} to ${method} ${path.split('?')[0]}: ${text.slice(0, 300)}`);
    }
    return res;
  }

  /** Saves the image's manifests and blobs under `dir` (a blob already there is not fetched twice). */
  async save(ref: string, dir: string): Promise<ImageEntry> {
    const { repository, tag, digest } = parseImageRef(ref);
    const manifests: ImageEntry['manifests'] = [];
    const blobs = new Set<string>();
    const fetchManifest = async (reference: string): Promise<{ digest: string; body: Buffer; mediaType: string }> => {
      const res = await this.call('GET', `/v2/${repository}/manifests/${reference}`, { headers: { accept: MANIFEST_TYPES.join(', ') } });
      const body = Buffer.from(await res.arrayBuffer());
      const found = res.headers.get('docker-content-digest') ?? `sha256:${createHash('sha256').update(body).digest('hex')}`;
      const mediaType = res.headers.get('content-type') ?? (JSON.parse(body.toString()) as { mediaType: string }).mediaType;
      writeFileSync(join(dir, 'manifests', hex(found)), body);
      return { digest: found, body, mediaType };
    };
    const top = await fetchManifest(digest ?? tag ?? 'latest');
    const parsed = JSON.parse(top.body.toString()) as { manifests?: { digest: string }[]; config?: { digest: string }; layers?: { digest: string }[] };
    const images = parsed.manifests ? await Promise.all(parsed.manifests.map((m) => fetchManifest(m.digest))) : [];
    for (const image of images) manifests.push({ digest: image.digest, mediaType: image.mediaType });
    manifests.push({ digest: top.digest, mediaType: top.mediaType });
    for (const m of images.length ? images.map((i) => JSON.parse(i.body.toString())) : [parsed]) {
      for (const b of [m.config, ...(m.layers ?? [])]) if (b?.digest) blobs.add(b.digest);
    }
    for (const blob of blobs) {
      const file = join(dir, 'blobs', hex(blob));
      if (existsSync(file)) continue;
      const res = await this.call('GET', `/v2/${repository}/blobs/${blob}`);
      await pipeline(Readable.fromWeb(res.body as never), createWriteStream(file));
    }
    return { ref, repository, ...(tag ? { tag } : {}), digest: top.digest, manifests, blobs: [...blobs] };
  }

  /** Puts the image back: each blob the repository lacks, then its manifests, then its tag. Returns the blobs uploaded. */
  async restore(image: ImageEntry, dir: string): Promise<number> {
    let uploaded = 0;
    for (const blob of image.blobs) {
      const head = await this.call('HEAD', `/v2/${image.repository}/blobs/${blob}`, { okStatus: [200, 404] });
      if (head.status === 200) continue;
      const file = join(dir, 'blobs', hex(blob));
      const started = await this.call('POST', `/v2/${image.repository}/blobs/uploads/`, { okStatus: [202] });
      const location = started.headers.get('location')!;
      const url = new URL(location, `http://${this.address}`);
      url.searchParams.set('digest', blob);
      await this.call('PUT', url.toString(), {
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(statSync(file).size) },
        body: Readable.toWeb(createReadStream(file)) as never,
        okStatus: [201],
      });
      uploaded++;
    }
    for (const [i, m] of image.manifests.entries()) {
      const last = i === image.manifests.length - 1;
      const reference = last && image.tag ? image.tag : m.digest;
      await this.call('PUT', `/v2/${image.repository}/manifests/${reference}`, {
        headers: { 'content-type': m.mediaType },
        body: readFileSync(join(dir, 'manifests', hex(m.digest))),
        okStatus: [201],
      });
    }
    return uploaded;
  }
}

export const prepareImageDirs = (dir: string): void => {
  for (const sub of ['manifests', 'blobs']) mkdirSync(join(dir, sub), { recursive: true });
};
