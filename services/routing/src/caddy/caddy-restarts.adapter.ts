import type Dockerode from 'dockerode';
import { CADDY_SERVICE } from './caddy-network.adapter';

export interface CaddyRestartWatch {
  stop(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `started` each time a container of Caddy's service starts: a task restarted or replaced
 * (`docker service update --force`, a crash, caddy.sh after an image rebuild). Such a container has
 * its config back (the autosave, see infra/images/caddy/entrypoint.sh) but none of the project
 * networks joined with `docker network connect`, so every route answers 502 until they are joined
 * again; waiting for the 30 s reconcile kept them down that long. Docker's event stream says so at
 * once. When the stream ends (the engine restarted) it is followed again, and `started` is called
 * then too: a start in between was not seen.
 */
export const watchCaddyRestarts = (
  docker: Dockerode,
  started: () => void,
  options: { caddyService?: string; warn?: (message: string) => void } = {},
): CaddyRestartWatch => {
  const filters = { type: ['container' as const], event: ['start'], label: [`com.docker.swarm.service.name=${options.caddyService ?? CADDY_SERVICE}`] };
  let stream: NodeJS.ReadableStream | undefined;
  let stopped = false;
  // Said once per outage, not every second while the engine is away.
  let warned = false;
  const warn = (message: string) => {
    if (!warned && !stopped) options.warn?.(message);
    warned = true;
  };
  const follow = async () => {
    for (let again = false; !stopped; again = true) {
      try {
        const opened = await docker.getEvents({ filters });
        // Stopped while the stream was opening: close it, or it would hold the Docker socket open.
        if (stopped) return void (opened as { destroy?: () => void }).destroy?.();
        stream = opened;
        warned = false;
        if (again) started();
        await new Promise<void>((resolve) => {
          let pending = '';
          opened.on('data', (chunk: Buffer) => {
            pending += chunk.toString('utf8');
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            if (lines.some((line) => line.trim())) started();
          });
          opened.once('end', resolve);
          opened.once('close', resolve);
          opened.once('error', (err: Error) => (warn(`Docker's event stream for Caddy's restarts broke (following it again): ${err.message}`), resolve()));
        });
      } catch (err) {
        warn(`cannot follow Docker's events for Caddy's restarts (trying again every second): ${(err as Error).message}`);
      }
      if (!stopped) await sleep(1_000);
    }
  };
  void follow();
  return {
    stop: () => {
      stopped = true;
      (stream as { destroy?: () => void } | undefined)?.destroy?.();
    },
  };
};
