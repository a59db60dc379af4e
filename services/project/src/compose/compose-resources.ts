import type { Finding } from './compose-service';
import { DEPLOY_REASONS, isExtension } from './compose-unsupported';
import { cpuCores, memoryBytes } from './compose-units';

/** Slipway's ranges, as proto's serviceSpec states them (replicas 1–10, 0.1–16 cores, 128–16384 MB). */
export const LIMITS = { replicas: { min: 1, max: 10 }, cpu: { min: 0.1, max: 16 }, memoryMb: { min: 128, max: 16_384 } };

interface RawDeploy {
  replicas?: number;
  resources?: { limits?: { cpus?: string | number; memory?: string } & Record<string, unknown> } & Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * `deploy.replicas` and `deploy.resources.limits` (or the older service-level `cpus` and
 * `mem_limit`). Limits below Slipway's floor are raised to it (a limit is a ceiling: raising it
 * never breaks the app), with a warning; anything above the ceiling is an error, since the app
 * may need it.
 */
export const readResources = (
  raw: { deploy?: RawDeploy; cpus?: string | number; mem_limit?: string | number },
  errors: Finding[],
  warnings: Finding[],
): { replicas: number; resources: { cpu?: number; memoryMb?: number } } => {
  const deploy = raw.deploy ?? {};
  for (const key of Object.keys(deploy)) {
    if (key === 'replicas' || key === 'resources' || isExtension(key)) continue;
    warnings.push({ segments: ['deploy'], key, message: `is not supported by Slipway and is ignored${DEPLOY_REASONS[key] ? `: ${DEPLOY_REASONS[key]}` : ''}` });
  }
  for (const key of Object.keys(deploy.resources ?? {})) {
    if (key === 'limits' || isExtension(key)) continue;
    const why = key === 'reservations' ? ': Slipway reserves what the limits allow' : '';
    warnings.push({ segments: ['deploy', 'resources'], key, message: `is not supported by Slipway and is ignored${why}` });
  }
  const limits = deploy.resources?.limits ?? {};
  for (const key of Object.keys(limits)) {
    if (key !== 'cpus' && key !== 'memory' && !isExtension(key)) {
      warnings.push({ segments: ['deploy', 'resources', 'limits'], key, message: 'is not supported by Slipway and is ignored' });
    }
  }

  const replicas = deploy.replicas ?? 1;
  if (replicas < LIMITS.replicas.min || replicas > LIMITS.replicas.max) {
    errors.push({ segments: ['deploy', 'replicas'], message: `is ${replicas}: Slipway runs 1 to 10 replicas of a service; set a number in that range` });
  }

  const resources: { cpu?: number; memoryMb?: number } = {};
  const cpuAt = limits.cpus !== undefined ? ['deploy', 'resources', 'limits', 'cpus'] : ['cpus'];
  const cpuText = limits.cpus ?? raw.cpus;
  if (cpuText !== undefined) {
    const cores = cpuCores(cpuText);
    if (cores === undefined) errors.push({ segments: cpuAt, message: `is "${cpuText}": write a number of cores such as 0.5 or 2` });
    else if (cores > LIMITS.cpu.max) errors.push({ segments: cpuAt, message: `is ${cores} cores: Slipway allows at most 16 per service` });
    else if (cores < LIMITS.cpu.min) {
      warnings.push({ segments: cpuAt, message: `is ${cores} cores, below Slipway's least (0.1): 0.1 is used` });
      resources.cpu = LIMITS.cpu.min;
    } else resources.cpu = cores;
  }

  const memoryAt = limits.memory !== undefined ? ['deploy', 'resources', 'limits', 'memory'] : ['mem_limit'];
  const memoryText = limits.memory ?? raw.mem_limit;
  if (memoryText !== undefined) {
    const bytes = memoryBytes(memoryText);
    const mb = bytes === undefined ? undefined : Math.ceil(bytes / 2 ** 20);
    if (mb === undefined) errors.push({ segments: memoryAt, message: `is "${memoryText}": write a size such as 512M or 1G` });
    else if (mb > LIMITS.memoryMb.max) errors.push({ segments: memoryAt, message: `is ${mb} MB: Slipway allows at most 16384 MB (16G) per service` });
    else if (mb < LIMITS.memoryMb.min) {
      warnings.push({ segments: memoryAt, message: `is ${mb} MB, below Slipway's least (128 MB): 128 MB is used` });
      resources.memoryMb = LIMITS.memoryMb.min;
    } else resources.memoryMb = mb;
  }
  return { replicas, resources };
};
