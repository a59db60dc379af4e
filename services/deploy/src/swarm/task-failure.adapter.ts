import type Dockerode from 'dockerode';
import { describeTaskFailure, type FailureDetails, type ObservedTask } from './rollout-progress.assessor';

/** The failure sentence of a failed task, completed with what its container itself reported. */
export const explainTaskFailure = async (docker: Dockerode, task: ObservedTask, containerId: string): Promise<string> => {
  if (!explained.has(task.id)) {
    if (explained.size > 500) explained.clear();
    explained.set(task.id, describeTaskFailure(task, await containerFailureDetails(docker, containerId)));
  }
  return explained.get(task.id)!;
};
/** Failure sentences by task id: a failed task does not change, its container is read once. */
const explained = new Map<string, string>();

const containerFailureDetails = async (docker: Dockerode, containerId: string): Promise<FailureDetails> => {
  const container = docker.getContainer(containerId);
  const details: FailureDetails = {};
  try {
    const info = await container.inspect();
    const health = info.State?.Health as { FailingStreak?: number; Log?: { ExitCode: number; Output: string }[] } | undefined;
    if (health) {
      details.healthFailingStreak = health.FailingStreak || undefined;
      // the check that ran while Swarm was stopping the container says only that: skip it
      const meaningful = (health.Log ?? []).filter((l) => !/cannot exec in a stopped container|OCI runtime exec failed/i.test(l.Output));
      const last = meaningful.at(-1) ?? health.Log?.at(-1);
      if (last) {
        details.lastHealthOutput = last.Output;
        details.lastHealthExitCode = last.ExitCode;
      }
    }
    const logs = (await container.logs({ stdout: true, stderr: true, tail: 5, follow: false })) as unknown as Buffer;
    details.logTail = demuxDockerLog(logs).trim() || undefined;
  } catch {
    // the container is already gone (task history trimmed): the task's own status has to do
  }
  return details;
};

/** Docker's multiplexed log stream (8-byte frame headers when the container has no TTY) → text. */
export const demuxDockerLog = (raw: Buffer | string): string => {
  if (typeof raw === 'string') return raw;
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length && raw[offset] <= 2 && raw[offset + 1] === 0 && raw[offset + 2] === 0 && raw[offset + 3] === 0) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return offset === 0 ? raw.toString('utf8') : Buffer.concat(parts).toString('utf8');
};
