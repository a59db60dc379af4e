import 'reflect-metadata';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { platformServices } from '@slipway/proto';
import { runUntilSignal, type RunningPart } from './bootstrap-service';
import { serveHealth } from './service-health';
import { skipUnusedTransports } from './unused-transports';

/**
 * Runs the parts of the control plane named in SLIPWAY_SERVICES (or the first argument) in this one
 * Node process: `all` (the default: every service, then the gateway), `gateway`, or a list such as
 * `gateway,build`. Each part is still its own NestJS application with its own NATS connection and
 * credentials, and talks to the others only through NATS: the same code runs one part per process,
 * one per machine, or all in one (ADR 0026). Parts are loaded by their compiled path, not imported:
 * the module boundaries stay as they are (no service imports another).
 */
const SERVICES = platformServices.map((s) => s.name as string);
export const PARTS = [...SERVICES, 'gateway'];

/** The parts a SLIPWAY_SERVICES value names, in start order (services, then the gateway), or an error in the user's words. */
export const partsFrom = (value: string | undefined): string[] => {
  const asked = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!asked.length || asked.includes('all')) return PARTS;
  const unknown = asked.filter((name) => !PARTS.includes(name));
  if (unknown.length) {
    throw new Error(`SLIPWAY_SERVICES names ${unknown.map((u) => `"${u}"`).join(', ')}, which ${unknown.length > 1 ? 'are not parts' : 'is not a part'} of Slipway: use "all" or some of ${PARTS.join(', ')}`);
  }
  return PARTS.filter((name) => asked.includes(name));
};

/** Where each part's compiled entry is, from dist/libs/messaging/src. */
const entryOf = (name: string) => join(__dirname, '..', '..', '..', name === 'gateway' ? 'gateway/src/service.js' : `services/${name}/src/service.js`);

type Start = (options?: { healthPort?: number | null }) => Promise<RunningPart>;

export const runPlatform = async (names: string[]) => {
  const log = new Logger('slipway');
  const alone = names.length === 1;
  const parts: RunningPart[] = [];
  try {
    const load = async (name: string) => ((await import(entryOf(name))) as { start: Start }).start;
    // Alone, a service keeps its own health port (HEALTH_PORT overrides it); together they share one.
    const services = names.filter((n) => n !== 'gateway');
    parts.push(...(await Promise.all(services.map(async (name) => (await load(name))(alone ? undefined : { healthPort: null })))));
    if (names.includes('gateway')) parts.push(await (await load('gateway'))());
    else if (!alone) {
      // Without the gateway (a worker running build, say), one port answers for all of them.
      const port = Number(process.env.HEALTH_PORT ?? 4100);
      const http = await serveHealth(parts.flatMap((p) => (p.health ? [p.health] : [])), port);
      parts.push({ name: 'health', stop: async () => void http.close() });
      log.log(`health of ${services.join(', ')} on http://127.0.0.1:${port}/health`);
    }
  } catch (err) {
    log.error(`could not start: ${(err as Error).message}`);
    for (const part of parts.reverse()) await part.stop().catch(() => undefined);
    process.exit(1);
  }
  if (!alone) log.log(`running ${names.join(', ')} in one process (pid ${process.pid})`);
  runUntilSignal(parts, log);
};

if (require.main === module) {
  skipUnusedTransports();
  let names: string[];
  try {
    names = partsFrom(process.argv[2] ?? process.env.SLIPWAY_SERVICES);
  } catch (err) {
    console.error(`ERROR: ${(err as Error).message}`);
    process.exit(2);
  }
  void runPlatform(names);
}
