import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { PlainEnvVar } from '@slipway/proto';

/**
 * Secret env vars never enter a service or container spec (`docker service inspect` and `docker
 * inspect` print those to anyone with the socket). Each becomes a Swarm secret of its own, mounted
 * at `/run/secrets/slipway/<KEY>`, and a small static entrypoint (infra/env-exec) sets them as
 * variables, then execs the image's own entrypoint and command.
 *
 * One secret per variable, not one for all: a value is at most 32 KiB and a deployment may carry
 * hundreds of them, which one Swarm secret (500 KB at most) could not hold; and a file per key needs
 * no encoding that the entrypoint would have to parse — its name is the key, its bytes the value.
 */

/** An opened variable; `secret` ones go to the container as Swarm secrets, the others as `Env`. */
export type RunnableEnvVar = PlainEnvVar & { secret?: boolean };

export const SECRET_ENV_DIR = '/run/secrets/slipway';
/** Where env-exec appears inside the container (bind-mounted read-only from the node). */
export const ENV_EXEC_TARGET = '/run/slipway/env-exec';
/** A file name is at most 255 bytes: a longer key cannot be a secret file. */
export const MAX_SECRET_KEY_BYTES = 255;

/** Secret labels: who owns a secret, so that every clean-up can find what nothing uses any more. */
export const SECRET_LABELS = {
  swarmService: 'slipway.swarm-service',
  deployment: 'slipway.deployment',
  key: 'slipway.env-key',
} as const;

/** What the image runs: its config's ENTRYPOINT and CMD (empty when unset). */
export interface ImageProcess {
  entrypoint: string[];
  cmd: string[];
  /** Config.ExposedPorts' keys (`8080/tcp`): what the port choice reads when the service names none. */
  exposedPorts?: string[];
}

/** A created Swarm secret holding one variable. */
export interface SecretEnvVar {
  key: string;
  secretId: string;
  secretName: string;
}

/** What the spec builder needs to give a container its secret variables. */
export interface SecretEnvMount {
  secrets: SecretEnvVar[];
  process: ImageProcess;
  /** env-exec on the node (every node of the swarm has it at this path). */
  envExecPath: string;
}

/**
 * Secrets are immutable, so each deployment has its own: the name is derived from the deployment
 * and the key only — never from the value (a plain hash of a short value can be reversed by trying
 * candidates) — which also makes a retried roll-out find the secrets it created before.
 */
export const secretName = (deploymentId: string, key: string): string =>
  `slipway-env-${createHash('sha256').update(`${deploymentId}\0${key}`).digest('hex').slice(0, 32)}`;

/**
 * Command and Args for Swarm: env-exec first, then what the image would have run. Swarm, like
 * `docker run --entrypoint`, drops the image's CMD once Command is set, so both are given. A
 * command of the service's own replaces the image's as Docker would: its entrypoint and CMD go,
 * args alone replace only the CMD.
 */
export const wrappedProcess = (image: ImageProcess, own: { command?: string[]; args?: string[] } = {}): { Command: string[]; Args: string[] } => {
  const entrypoint = own.command?.length ? own.command : image.entrypoint;
  const cmd = own.command?.length ? (own.args ?? []) : own.args?.length ? own.args : image.cmd;
  return { Command: [ENV_EXEC_TARGET, ...entrypoint], Args: cmd };
};

/** The container spec's part that delivers the secret variables (nothing of their values). */
export const secretEnvContainerSpec = (
  mount: SecretEnvMount,
  own: { args?: string[] } = {},
): Pick<Dockerode.ContainerSpec, 'Command' | 'Args' | 'Secrets'> & { Mounts: Dockerode.MountSettings[] } => ({
  ...wrappedProcess(mount.process, own),
  // Readable by the container's user whoever it is (the image's USER may be any uid): the same
  // reach an env var has inside the container, and none outside it.
  Secrets: mount.secrets.map((s) => ({
    SecretID: s.secretId,
    SecretName: s.secretName,
    File: { Name: `${SECRET_ENV_DIR}/${s.key}`, UID: '0', GID: '0', Mode: 0o444 },
  })),
  Mounts: [{ Type: 'bind', Source: mount.envExecPath, Target: ENV_EXEC_TARGET, ReadOnly: true } as Dockerode.MountSettings],
});
