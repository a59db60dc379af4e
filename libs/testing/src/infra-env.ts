import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface InfraEnv {
  SLIPWAY_DATA_DIR: string;
  NATS_URL: string;
  MONGO_URL: string;
  REGISTRY: string;
  [key: string]: string;
}

/**
 * Where the local infrastructure is: `$SLIPWAY_DATA_DIR/run/infra.env`, written by
 * infra/scripts/up.sh, overlaid by the process environment (so NATS_URL=… wins).
 */
export const infraEnv = (): InfraEnv => {
  const dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway';
  const file = join(dataDir, 'run', 'infra.env');
  const fromFile: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) fromFile[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
    }
  }
  const pick = (key: string, fallback: string) => process.env[key] ?? fromFile[key] ?? fallback;
  return {
    ...fromFile,
    SLIPWAY_DATA_DIR: dataDir,
    NATS_URL: pick('NATS_URL', 'nats://127.0.0.1:4222'),
    MONGO_URL: pick('MONGO_URL', 'mongodb://127.0.0.1:27017'),
    REGISTRY: pick('REGISTRY', '127.0.0.1:5000'),
  };
};
