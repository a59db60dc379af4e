import { access, constants } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import type { ImageProcessReader } from './registry-image-config.adapter';
import { MAX_SECRET_KEY_BYTES, SECRET_LABELS, secretName, type SecretEnvMount, type SecretEnvVar } from './secret-env.plan';
import { MANAGED_LABEL, type RolloutRequest } from './swarm-service-spec.builder';

/** What a roll-out needs to deliver secret env vars: how to read the image's process, and env-exec. */
export interface SecretEnvSupport {
  readImageProcess: ImageProcessReader;
  /** env-exec on every Swarm node (infra/scripts/install.sh env-exec). */
  envExecPath: string;
}

export const defaultEnvExecPath = (): string => `${process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway'}/bin/slipway-env-exec`;

/** Keeps the secrets of a deployment that no service uses yet, because it is rolling out elsewhere. */
export type KeepSecretsOf = (deploymentId: string) => boolean | Promise<boolean>;

const statusCode = (err: unknown) => (err as { statusCode?: number }).statusCode;
const messageOf = (err: unknown) => ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message ?? String(err)).trim();

/**
 * Creates one Swarm secret per secret variable of the request (or finds it, when a retried roll-out
 * of the same deployment created it before), after checking that the container can be given them.
 * Undefined when the spec has no secret variable: the image then runs exactly as it is.
 */
export const prepareSecretEnv = async (
  docker: Dockerode,
  request: RolloutRequest,
  pinnedImage: string,
  support: SecretEnvSupport | undefined,
): Promise<SecretEnvMount | undefined> => {
  const vars = request.spec.env.filter((v) => v.secret);
  if (vars.length === 0) return undefined;
  const deploymentId = request.labels['slipway.deployment'];
  if (!support || !deploymentId) throw new Error('this roll-out cannot deliver secret env vars (no deployment or no env-exec configured)');
  const tooLong = vars.find((v) => Buffer.byteLength(v.key) > MAX_SECRET_KEY_BYTES);
  if (tooLong) throw new Error(`the secret env var ${tooLong.key.slice(0, 40)}… has a name over ${MAX_SECRET_KEY_BYTES} characters`);
  await access(support.envExecPath, constants.X_OK).catch(() => {
    throw new Error(`${support.envExecPath} is missing on this node (infra/scripts/install.sh env-exec builds it)`);
  });
  const imageProcess = await support.readImageProcess(pinnedImage).catch((err) => {
    throw new Error(`could not read the entrypoint and command of ${pinnedImage}: ${messageOf(err)}`);
  });
  const secrets: SecretEnvVar[] = [];
  for (const { key, value } of vars) {
    const name = secretName(deploymentId, key);
    // The request's labels too (slipway.project, slipway.service): clean-ups by project find them.
    const labels = { ...request.labels, [MANAGED_LABEL]: 'true', [SECRET_LABELS.swarmService]: request.swarmService, [SECRET_LABELS.key]: key };
    secrets.push({ key, secretName: name, secretId: await createOrFindSecret(docker, name, labels, value) });
  }
  return { secrets, process: imageProcess, envExecPath: support.envExecPath };
};

const createOrFindSecret = async (docker: Dockerode, name: string, labels: Record<string, string>, value: string): Promise<string> => {
  try {
    const created = (await docker.createSecret({ Name: name, Labels: labels, Data: Buffer.from(value, 'utf8').toString('base64') })) as { id: string };
    return created.id;
  } catch (err) {
    if (statusCode(err) !== 409) throw err;
    // Same deployment, same key: the same sealed value, so the existing secret holds what we would write.
    const [existing] = (await docker.listSecrets({ filters: { name: [name] } })).filter((s) => s.Spec?.Name === name);
    if (!existing) throw err;
    return existing.ID;
  }
};

/** While an update or rollback is under way, Swarm may return to the previous spec: its secrets stay. */
const UPDATE_IN_FLIGHT = new Set(['updating', 'paused', 'rollback_started', 'rollback_paused']);

interface SwarmTask {
  Spec?: { ContainerSpec?: { Secrets?: Dockerode.SecretReference[] } };
}

const secretIdsOf = (spec: Dockerode.ServiceSpec | undefined): string[] =>
  ((spec?.TaskTemplate as Dockerode.ContainerTaskSpec | undefined)?.ContainerSpec?.Secrets ?? []).flatMap((s) => (s.SecretID ? [s.SecretID] : []));

/**
 * The secrets some service (its spec, an update's previous spec) or a task meant to run refers to.
 * A task being stopped needs nothing: its container has its files already, and Swarm never
 * restarts a task (it makes a new one from the service's spec).
 */
const secretsInUse = async (docker: Dockerode): Promise<Set<string>> => {
  const used = new Set<string>();
  for (const service of await docker.listServices()) {
    secretIdsOf(service.Spec).forEach((id) => used.add(id));
    if (UPDATE_IN_FLIGHT.has(service.UpdateStatus?.State ?? '')) secretIdsOf(service.PreviousSpec).forEach((id) => used.add(id));
  }
  for (const task of (await docker.listTasks({ filters: { 'desired-state': ['running', 'accepted'] } })) as SwarmTask[]) {
    (task.Spec?.ContainerSpec?.Secrets ?? []).forEach((s) => s.SecretID && used.add(s.SecretID));
  }
  return used;
};

/**
 * Removes Slipway's env secrets (of one Swarm service, or all) that nothing uses any more: after
 * every roll-out, when a service is removed, and at start (what a crash mid-roll-out left). A
 * secret whose deployment `keep` names (rolling out elsewhere) stays. Returns the names removed.
 */
export const removeUnusedSecrets = async (docker: Dockerode, options: { swarmService?: string; keep?: KeepSecretsOf } = {}): Promise<string[]> => {
  const label = [`${MANAGED_LABEL}=true`, `${SECRET_LABELS.key}`];
  if (options.swarmService) label.push(`${SECRET_LABELS.swarmService}=${options.swarmService}`);
  const candidates = await docker.listSecrets({ filters: { label } });
  if (candidates.length === 0) return [];
  const used = await secretsInUse(docker);
  const removed: string[] = [];
  for (const secret of candidates) {
    if (used.has(secret.ID)) continue;
    const deploymentId = secret.Spec?.Labels?.[SECRET_LABELS.deployment];
    if (deploymentId && options.keep && (await options.keep(deploymentId))) continue;
    try {
      await docker.getSecret(secret.ID).remove();
      removed.push(secret.Spec?.Name ?? secret.ID);
    } catch (err) {
      // gone already, or taken into use meanwhile (Swarm refuses to remove a secret a service uses)
      if (statusCode(err) !== 404 && !/in use/i.test(messageOf(err))) throw err;
    }
  }
  return removed;
};
