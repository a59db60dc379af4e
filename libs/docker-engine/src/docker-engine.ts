import { request, type IncomingMessage } from 'node:http';

/**
 * The few Docker Engine API calls the metrics service and the backups make, over Docker's unix socket with
 * node:http. Ours rather than dockerode: loading dockerode (docker-modem, ssh2, grpc-js, protobufjs)
 * costs a Node process 34 MB of RSS on its own, measured here (ADR 0022), and the metrics service
 * reads only lists, stats and streams (backups also create volumes). Paths are unversioned: the daemon answers with its own API version.
 */

/** A label or status filter as the Engine API takes it: `{ label: ['slipway.service'], status: ['running'] }`. */
export type DockerFilters = Record<string, string[]>;

export interface ContainerSummary {
  Id: string;
  Names?: string[];
  Labels: Record<string, string>;
  /** Seconds since the epoch. */
  Created: number;
  State?: string;
}

export interface DockerVolume {
  Name: string;
  Labels?: Record<string, string> | null;
  /** Where the local driver keeps the volume's files on this machine. */
  Mountpoint?: string;
  UsageData?: { Size: number; RefCount: number } | null;
}

/** An error the daemon answered with: its status code and its own message. */
export class DockerEngineError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'DockerEngineError';
  }
}

export interface DockerLogOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  timestamps?: boolean;
  /** Seconds since the epoch, with an optional fraction (`1700000000.123456789`). */
  since?: string;
}

const query = (params: Record<string, string | boolean | number | DockerFilters | undefined>) => {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    q.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
};

export class DockerEngine {
  constructor(
    private readonly socketPath = process.env.DOCKER_SOCKET ?? '/var/run/docker.sock',
    private readonly timeoutMs = 30_000,
  ) {}

  listContainers(filters?: DockerFilters): Promise<ContainerSummary[]> {
    return this.json('GET', `/containers/json${query({ filters })}`);
  }

  /** Swarm tasks (an empty list's error when this daemon is no Swarm manager is the caller's to handle). */
  listTasks<T = unknown>(filters?: DockerFilters): Promise<T[]> {
    return this.json('GET', `/tasks${query({ filters })}`);
  }

  /** One stats reading, with the previous CPU reading beside it (Docker waits about a second for it). */
  containerStats<T = unknown>(id: string): Promise<T> {
    return this.json('GET', `/containers/${encodeURIComponent(id)}/stats${query({ stream: false })}`);
  }

  listVolumes(filters?: DockerFilters): Promise<{ Volumes?: DockerVolume[] | null }> {
    return this.json('GET', `/volumes${query({ filters })}`);
  }

  /** Creates a named volume with the local driver (an existing one of that name is answered as it is). */
  createVolume(name: string, labels: Record<string, string>): Promise<DockerVolume> {
    return this.json('POST', '/volumes/create', { Name: name, Labels: labels, Driver: 'local' });
  }

  /** Disk usage; with `type=volume`, only the volumes' (the part that takes Docker time to count). */
  diskUsage(types?: string[]): Promise<{ Volumes?: DockerVolume[] | null }> {
    return this.json('GET', `/system/df${types ? `?${types.map((t) => `type=${encodeURIComponent(t)}`).join('&')}` : ''}`);
  }

  /** A container's log, as Docker's framed stream (stdout and stderr multiplexed, for a container without a TTY). */
  containerLogs(id: string, options: DockerLogOptions): Promise<IncomingMessage> {
    return this.stream('GET', `/containers/${encodeURIComponent(id)}/logs${query({ ...options })}`);
  }

  /** The daemon's events as they happen, one JSON object per line. */
  events(filters?: DockerFilters): Promise<IncomingMessage> {
    return this.stream('GET', `/events${query({ filters })}`);
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.stream(method, path, this.timeoutMs, body);
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** The response once its status is in; a status of 400 or more becomes a DockerEngineError with the daemon's message. */
  private stream(method: string, path: string, timeoutMs?: number, body?: unknown): Promise<IncomingMessage> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { host: 'docker', ...(payload ? { 'content-type': 'application/json' } : {}) };
    return new Promise((resolve, reject) => {
      const req = request({ socketPath: this.socketPath, method, path, headers }, (res) => {
        if ((res.statusCode ?? 500) < 400) return resolve(res);
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let message = text.trim();
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            // not JSON: the text as it is
          }
          reject(new DockerEngineError(res.statusCode ?? 500, message || `Docker answered ${res.statusCode}`));
        });
      });
      if (timeoutMs) req.setTimeout(timeoutMs, () => req.destroy(new Error(`Docker did not answer ${method} ${path.split('?')[0]} within ${timeoutMs / 1000} s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
}
