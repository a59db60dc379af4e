import type Dockerode from 'dockerode';
import {
  assessCreate,
  assessUpdate,
  type ObservedService,
  type ObservedTask,
  type UpdateState,
  type Verdict,
} from './rollout-progress.assessor';
import { ensureNetwork, removeNetworkIfUnused } from './project-network.adapter';
import { ENV_EXEC_TARGET, type SecretEnvMount } from './secret-env.plan';
import { prepareSecretEnv, removeUnusedSecrets, type KeepSecretsOf, type SecretEnvSupport } from './swarm-secrets.adapter';
import { explainTaskFailure } from './task-failure.adapter';
import { buildSwarmServiceSpec, pinImage, SPEC_HASH_LABEL, specHashOf, type RolloutRequest } from './swarm-service-spec.builder';
import { registryAuthFor } from '@slipway/secret-box';

export type { RolloutRequest } from './swarm-service-spec.builder';

export type RolloutResult =
  | { outcome: 'succeeded' }
  | {
      outcome: 'failed';
      reason: string;
      /** An update failed and the previous version is serving again. */
      rolledBack: boolean;
      /** A first deployment failed and its service was removed: nothing is left behind. */
      removed: boolean;
    };

export interface RolloutOptions {
  /** Bound on the whole rollout (default 120 000). After it, an update is rolled back, a first deployment removed. */
  timeoutMs?: number;
  onProgress?(message: string): void;
  /** First deployment: give up after this many failed tasks (default 2: one restart is allowed). */
  maxFailedTasks?: number;
  /** Extra time allowed for a rollback to finish after the rollout failed (default 60 000). */
  rollbackTimeoutMs?: number;
  /** Polling period (default 500 ms). */
  pollMs?: number;
  /** How secret env vars reach the container; a spec with secret vars fails without it. */
  secretEnv?: SecretEnvSupport;
  /** Secrets of these deployments stay even while no service uses them (rolling out elsewhere). */
  keepSecretsOf?: KeepSecretsOf;
}

interface SwarmTask {
  ID: string;
  Slot?: number;
  DesiredState: string;
  UpdatedAt?: string;
  Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
  Status?: { State: string; Message?: string; Err?: string; Timestamp?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statusCode = (err: unknown) => (err as { statusCode?: number }).statusCode;
const messageOf = (err: unknown) => ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message ?? String(err)).trim();

/**
 * Rolls a Slipway service out on Docker Swarm and waits until the new tasks are healthy.
 * - First deployment: creates the service; on failure removes it (and the network when this rollout
 *   created it and nothing else uses it), so nothing is orphaned.
 * - Update: start-first rolling update; Swarm rolls back by itself when a new task fails, and this
 *   waits for the rollback so the previous version is serving again when it returns; on timeout it
 *   asks for the rollback itself.
 */
export const rollOut = async (docker: Dockerode, request: RolloutRequest, options: RolloutOptions = {}): Promise<RolloutResult> => {
  const progress = progressReporter(options.onProgress);
  try {
    return await rollOutService(docker, request, options, progress);
  } finally {
    // Whatever the outcome, the secrets no service uses any more go: the replaced deployment's,
    // or this one's when it failed (a retried roll-out finds the ones it still uses in the spec).
    const removed = await removeUnusedSecrets(docker, { swarmService: request.swarmService, keep: options.keepSecretsOf }).catch((err) => {
      progress(`could not remove unused secrets: ${messageOf(err)}`);
      return [];
    });
    if (removed.length > 0) progress(`removed ${removed.length} secret(s) that no task uses any more`);
  }
};

const rollOutService = async (
  docker: Dockerode,
  request: RolloutRequest,
  options: RolloutOptions,
  progress: (message: string) => void,
): Promise<RolloutResult> => {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;

  const networkCreated = await ensureNetwork(docker, request.network, request.labels);
  if (networkCreated) progress(`created network ${request.network}`);

  const pinnedImage = await pinnedImageOf(docker, request.imageRef, progress);
  const existing = await inspectService(docker, request.swarmService);
  let secretEnv: SecretEnvMount | undefined;
  try {
    secretEnv = await prepareSecretEnv(docker, request, pinnedImage, options.secretEnv);
  } catch (err) {
    if (networkCreated) await removeNetworkIfUnused(docker, request.network);
    return { outcome: 'failed', reason: `Secret env vars: ${messageOf(err)}`, rolledBack: false, removed: !existing };
  }
  if (secretEnv) progress(`${secretEnv.secrets.length} secret env var(s) as Swarm secrets, read by ${ENV_EXEC_TARGET}`);
  const spec = buildSwarmServiceSpec(request, pinnedImage, secretEnv);
  const specHash = specHashOf(spec)!;

  if (!existing) {
    progress(`creating service ${request.swarmService} (${pinnedImage}, ${request.spec.replicas} replica(s))`);
    try {
      // Two arguments: the one-argument form would send the whole spec as the registry sign-in.
      // Swarm keeps the sign-in with the service, for every task it starts, scales or rolls back;
      // Slipway's registry takes no anonymous pull, so Swarm pulls as the deploy service there.
      const auth = registryAuthFor('deploy', request.imageRef);
      await (auth ? docker.createService(auth, spec) : docker.createService(spec));
    } catch (err) {
      if (networkCreated) await removeNetworkIfUnused(docker, request.network);
      return { outcome: 'failed', reason: `Swarm refused the service: ${messageOf(err)}`, rolledBack: false, removed: true };
    }
    const verdict = await watch(docker, request.swarmService, deadline, options, progress, (_service, tasks) =>
      assessCreate(tasks, { specHash, replicas: request.spec.replicas, maxFailedTasks: options.maxFailedTasks ?? 2 }),
    );
    if (verdict.status === 'succeeded') return { outcome: 'succeeded' };
    const reason = verdict.status === 'failed' ? await explain(docker, verdict) : timeoutReason(timeoutMs, verdict);
    progress(`first deployment failed (${reason}); removing service ${request.swarmService}`);
    await removeService(docker, request.swarmService);
    if (networkCreated) await removeNetworkIfUnused(docker, request.network);
    return { outcome: 'failed', reason, rolledBack: false, removed: true };
  }

  progress(`updating service ${request.swarmService} to ${pinnedImage}`);
  try {
    await updateService(docker, request.swarmService, spec);
  } catch (err) {
    return { outcome: 'failed', reason: `Swarm refused the update: ${messageOf(err)}`, rolledBack: false, removed: false };
  }
  const expected = { specHash, replicas: request.spec.replicas };
  let verdict = await watch(docker, request.swarmService, deadline, options, progress, (service, tasks) =>
    assessUpdate(service, tasks, expected),
  );
  if (verdict.status === 'succeeded') return { outcome: 'succeeded' };

  let reason: string;
  const needsRollbackRequest = verdict.status === 'in-progress' || (verdict.status === 'failed' && verdict.paused);
  if (verdict.status === 'in-progress') reason = timeoutReason(timeoutMs, verdict);
  else reason = await explain(docker, verdict);
  if (needsRollbackRequest) {
    progress(`${reason}; rolling back`);
    await requestRollback(docker, request.swarmService).catch((err) => progress(`rollback request failed: ${messageOf(err)}`));
  }
  if (needsRollbackRequest || verdict.status === 'rolling-back') {
    const rollbackDeadline = Date.now() + (options.rollbackTimeoutMs ?? 60_000);
    verdict = await watch(docker, request.swarmService, rollbackDeadline, options, progress, (service, tasks) => {
      const v = assessUpdate(service, tasks, expected);
      return v.status === 'rolled-back' || (v.status === 'failed' && !v.paused)
        ? v
        : { status: 'in-progress', summary: `rolling back: ${service.updateState ?? 'starting'}` };
    });
  }
  if (verdict.status === 'rolled-back' && !verdict.serving) {
    // Swarm marks the rollback complete when it has (re)started the previous tasks; give them a moment.
    verdict = await watch(docker, request.swarmService, Date.now() + 15_000, options, progress, (service, tasks) => {
      const v = assessUpdate(service, tasks, expected);
      return v.status === 'rolled-back' && !v.serving ? { status: 'in-progress', summary: 'waiting for the previous version to run' } : v;
    });
  }
  const rolledBack = verdict.status === 'rolled-back' && verdict.serving;
  progress(rolledBack ? 'rolled back: the previous version is serving' : `rollback did not complete (${describeVerdict(verdict)})`);
  return { outcome: 'failed', reason: rolledBack ? `${reason}; rolled back to the previous version` : reason, rolledBack, removed: false };
};

/** Removes the service (if any), waits (bounded) until its containers are gone, then its secrets. */
export const removeService = async (docker: Dockerode, swarmService: string, options: { waitMs?: number; kill?: boolean } = {}): Promise<void> => {
  try {
    await docker.getService(swarmService).remove();
  } catch (err) {
    if (statusCode(err) !== 404) throw err;
  }
  const until = Date.now() + (options.waitMs ?? 30_000);
  while (Date.now() < until) {
    const left = await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${swarmService}`] } });
    if (left.length === 0) break;
    // Thrown away (a closed preview): no grace period to wait out; Swarm removes the killed containers.
    if (options.kill) await Promise.all(left.filter((c) => c.State === 'running').map((c) => docker.getContainer(c.Id).kill().catch(() => undefined)));
    await sleep(250);
  }
  await removeUnusedSecrets(docker, { swarmService });
};

// ---------------------------------------------------------------------------------------------

const progressReporter = (onProgress?: (message: string) => void) => {
  let last = '';
  return (message: string) => {
    if (message === last) return;
    last = message;
    onProgress?.(message);
  };
};

const inspectService = async (docker: Dockerode, name: string): Promise<Dockerode.Service | undefined> => {
  try {
    return (await docker.getService(name).inspect()) as Dockerode.Service;
  } catch (err) {
    if (statusCode(err) === 404) return undefined;
    throw err;
  }
};

const imageOf = (spec: Dockerode.ServiceSpec) => (spec.TaskTemplate as { ContainerSpec?: { Image?: string } } | undefined)?.ContainerSpec?.Image ?? '';

/** `repo:tag` → `repo:tag@sha256:…` from the registry, so every node runs exactly the same image. */
const pinnedImageOf = async (docker: Dockerode, imageRef: string, progress: (m: string) => void): Promise<string> => {
  if (imageRef.includes('@')) return imageRef;
  try {
    const info = (await docker.getImage(imageRef).distribution({ authconfig: registryAuthFor('deploy', imageRef) } as never)) as unknown as { Descriptor?: { digest?: string } };
    return pinImage(imageRef, info.Descriptor?.digest);
  } catch (err) {
    progress(`could not read the registry digest of ${imageRef} (${messageOf(err)}); the tag is used unpinned`);
    return imageRef;
  }
};

/** `service.update` with the version it was read at; re-reads once when another writer got there first. */
const updateService = async (docker: Dockerode, name: string, spec: Dockerode.ServiceSpec): Promise<void> => {
  for (let attempt = 1; ; attempt++) {
    const current = (await docker.getService(name).inspect()) as Dockerode.Service;
    try {
      await docker.getService(name).update({ _query: { version: current.Version?.Index }, _body: spec, authconfig: registryAuthFor('deploy', imageOf(spec)) } as never);
      return;
    } catch (err) {
      if (attempt >= 3 || !/out of sequence/i.test(messageOf(err))) throw err;
    }
  }
};

const requestRollback = async (docker: Dockerode, name: string): Promise<void> => {
  const current = (await docker.getService(name).inspect()) as Dockerode.Service;
  await docker.getService(name).update({ _query: { version: current.Version?.Index, rollback: 'previous' }, _body: current.Spec } as never);
};

const toObservedTask = (t: SwarmTask): ObservedTask => ({
  id: t.ID,
  slot: t.Slot,
  specHash: t.Spec?.ContainerSpec?.Labels?.[SPEC_HASH_LABEL],
  desiredState: t.DesiredState,
  state: t.Status?.State ?? 'unknown',
  message: t.Status?.Message,
  err: t.Status?.Err,
  exitCode: t.Status?.ContainerStatus?.ExitCode,
  containerId: t.Status?.ContainerStatus?.ContainerID,
  timestamp: t.Status?.Timestamp ?? t.UpdatedAt,
});

const observe = async (docker: Dockerode, name: string): Promise<{ service: ObservedService; tasks: ObservedTask[] } | undefined> => {
  const raw = await inspectService(docker, name);
  if (!raw) return undefined;
  const tasks = ((await docker.listTasks({ filters: { service: [name] } })) as SwarmTask[]).map(toObservedTask);
  return {
    service: {
      updateState: raw.UpdateStatus?.State as UpdateState | undefined,
      updateMessage: raw.UpdateStatus?.Message,
      replicas: raw.Spec?.Mode?.Replicated?.Replicas ?? 1,
      specHash: specHashOf(raw.Spec),
    },
    tasks,
  };
};

/** Polls until the verdict is no longer in progress, or the deadline passes (then the last verdict). */
const watch = async (
  docker: Dockerode,
  name: string,
  deadline: number,
  options: RolloutOptions,
  progress: (m: string) => void,
  assess: (service: ObservedService, tasks: ObservedTask[]) => Verdict,
): Promise<Verdict> => {
  let verdict: Verdict = { status: 'in-progress', summary: 'waiting for Swarm' };
  for (;;) {
    const seen = await observe(docker, name);
    if (!seen) return { status: 'failed', reason: `the service ${name} was removed during the rollout` };
    verdict = assess(seen.service, seen.tasks);
    // A task killed as unhealthy that exits cleanly on SIGTERM is just "complete" for Swarm: its
    // container's health log tells the real story.
    if (verdict.status !== 'in-progress' && verdict.status !== 'succeeded' && verdict.failedTask) {
      verdict = { ...verdict, reason: await explain(docker, verdict) };
    }
    progress(describeVerdict(verdict, seen.service));
    if (verdict.status !== 'in-progress' && verdict.status !== 'rolling-back') return verdict;
    if (Date.now() >= deadline) return verdict;
    await sleep(options.pollMs ?? 500);
  }
};

const describeVerdict = (verdict: Verdict, service?: ObservedService): string => {
  const state = service?.updateState ? `[${service.updateState}] ` : '';
  switch (verdict.status) {
    case 'in-progress':
      return `${state}${verdict.summary}`;
    case 'succeeded':
      return `${state}all new tasks running and healthy`;
    case 'failed':
      return `${state}failed: ${verdict.reason}`;
    case 'rolling-back':
      return `${state}rolling back: ${verdict.reason}`;
    case 'rolled-back':
      return `${state}rolled back${verdict.serving ? '' : ' (previous version not running)'}: ${verdict.reason}`;
  }
};

const timeoutReason = (timeoutMs: number, verdict: Verdict) =>
  `timed out after ${Math.round(timeoutMs / 1000)} s: ${verdict.status === 'in-progress' ? verdict.summary : describeVerdict(verdict)}`;

/** The failure sentence, completed with what the failed container itself reported. */
const explain = async (docker: Dockerode, verdict: Verdict): Promise<string> => {
  if (verdict.status === 'in-progress' || verdict.status === 'succeeded') return describeVerdict(verdict);
  const task = verdict.failedTask;
  return task?.containerId ? explainTaskFailure(docker, task, task.containerId) : verdict.reason;
};
