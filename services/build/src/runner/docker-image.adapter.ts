import type Docker from 'dockerode';
import type { Readable } from 'node:stream';
import { BuildError } from './build-error';
import { buildFailureReason, EngineStreamDecoder, LineAssembler, StderrMarks, stepOf, streamError, type BuildLog, type EngineStreamMessage } from './build-log';
import { registryAuthFor } from '@slipway/secret-box';

/** Reads an Engine progress stream to its end, message by message; stops at once on abort. */
export const readEngineStream = async (
  stream: NodeJS.ReadableStream,
  signal: AbortSignal,
  onMessage: (message: EngineStreamMessage) => void,
): Promise<void> => {
  const decoder = new EngineStreamDecoder();
  const destroy = () => (stream as Readable).destroy?.(new Error('aborted'));
  signal.addEventListener('abort', destroy, { once: true });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      for (const message of decoder.push(chunk)) onMessage(message);
    }
    for (const message of decoder.end()) onMessage(message);
  } finally {
    signal.removeEventListener('abort', destroy);
  }
};

export interface ImageBuildInput {
  context: Readable;
  /** Path of the Dockerfile inside the context. */
  dockerfile: string;
  tag: string;
  labels: Record<string, string>;
  /** Build arguments (ARG values); absent: none. */
  buildArgs?: Record<string, string>;
  limits: { cpus: number; memoryMb: number };
  signal: AbortSignal;
  log: BuildLog;
}

const CPU_PERIOD_US = 100_000;

/**
 * Builds with the classic builder (the one the Engine's /build drives without a BuildKit
 * session: its cache is the local image store, so an unchanged rebuild takes seconds). Each RUN
 * container gets the CPU quota and memory limit (no swap beyond it). Failures arrive inside the
 * stream, not as a rejected promise: the last `Step n/m` line names the failing step.
 */
export const buildImage = async (docker: Docker, input: ImageBuildInput): Promise<void> => {
  // A context that fails to stream would leave the Engine waiting for the rest of it: abort.
  const request = new AbortController();
  const abortRequest = () => request.abort();
  let contextError: Error | undefined;
  input.signal.addEventListener('abort', abortRequest, { once: true });
  input.context.once('error', (err: Error) => {
    contextError = err;
    request.abort();
  });
  const memory = input.limits.memoryMb * 1024 * 1024;
  const lines = new LineAssembler();
  let step: string | undefined;
  let failure: string | undefined;
  let built = false;
  const marks = new StderrMarks();
  const emit = (line: string) => {
    const { text, stderr } = marks.read(line);
    if (stderr) return input.log.write('stderr', text);
    step = stepOf(text) ?? step;
    if (/^Successfully built [0-9a-f]+/.test(text)) built = true;
    input.log.stdout(text);
  };
  try {
    const response = await docker.buildImage(input.context, {
      t: input.tag,
      dockerfile: input.dockerfile,
      labels: input.labels,
      ...(input.buildArgs && Object.keys(input.buildArgs).length ? { buildargs: input.buildArgs } : {}),
      rm: true,
      forcerm: true,
      pull: false,
      version: '1',
      cpuperiod: CPU_PERIOD_US,
      cpuquota: Math.max(1_000, Math.round(input.limits.cpus * CPU_PERIOD_US)),
      memory,
      memswap: memory,
      abortSignal: request.signal,
    } as Docker.ImageBuildOptions);
    await readEngineStream(response, request.signal, (message) => {
      if (message.aux?.ID) built = true;
      if (message.stream) lines.push(message.stream).forEach(emit);
      if (message.status && !message.progress) input.log.stdout([message.id, message.status].filter(Boolean).join(': '));
      const error = streamError(message);
      if (error) {
        lines.flush().forEach(emit);
        failure = error;
        input.log.stderr(error);
      }
    });
  } catch (err) {
    if (!contextError) throw err;
  } finally {
    input.signal.removeEventListener('abort', abortRequest);
    lines.flush().forEach(emit);
  }
  if (contextError) throw new BuildError(`Could not send the build context: ${contextError.message}`);
  if (failure !== undefined) throw new BuildError(buildFailureReason(step, failure));
  if (!built) throw new BuildError(buildFailureReason(step, 'the build ended without an image'));
};

/** Pushes repository:tag and returns the manifest digest the registry reported. */
export const pushImage = async (docker: Docker, repository: string, tag: string, signal: AbortSignal, log: BuildLog): Promise<string> => {
  const registry = repository.split('/')[0];
  // Slipway's registry takes no anonymous push: the build service signs in as itself. Another
  // registry gets no sign-in, but the Engine still wants an object.
  const stream = await docker.getImage(repository).push({ tag, authconfig: registryAuthFor('build', repository) ?? {}, abortSignal: signal } as Record<string, unknown>);
  let digest: string | undefined;
  let failure: string | undefined;
  const layers = new Set<string>();
  await readEngineStream(stream, signal, (message) => {
    const error = streamError(message);
    if (error) {
      failure = error;
      log.stderr(error);
    }
    if (message.aux?.Digest) digest = message.aux.Digest;
    // One line per layer outcome, not the progress bars.
    if (message.id && message.status && /^(Pushed|Layer already exists|Mounted from)/.test(message.status) && !layers.has(message.id)) {
      layers.add(message.id);
      log.stdout(`${message.id}: ${message.status}`);
    }
  });
  if (failure !== undefined) throw new BuildError(`Push to ${registry} failed: ${failure}`);
  if (!digest || !/^sha256:[0-9a-f]{64}$/.test(digest)) throw new BuildError(`Push to ${registry} reported no digest`);
  return digest;
};

/** Pulls an image; failures inside the stream become a BuildError naming the image. */
export const pullImage = async (docker: Docker, ref: string, signal: AbortSignal, log: BuildLog): Promise<void> => {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(ref, { authconfig: registryAuthFor('build', ref) ?? {}, abortSignal: signal } as Record<string, unknown>);
  } catch (err) {
    if (signal.aborted) throw err;
    throw new BuildError(`Could not pull image "${ref}": ${(err as Error).message}`);
  }
  let failure: string | undefined;
  await readEngineStream(stream, signal, (message) => {
    const error = streamError(message);
    if (error) failure = error;
    if (message.status && !message.progress && !message.id) log.stdout(message.status);
  });
  if (failure !== undefined) {
    log.stderr(failure);
    throw new BuildError(`Could not pull image "${ref}": ${failure}`);
  }
};

export const tagImage = async (docker: Docker, source: string, repository: string, tag: string): Promise<void> => {
  await docker.getImage(source).tag({ repo: repository, tag });
};

/** Removes one tag; the layers stay (they are the build cache). Missing tags are fine. */
export const untagImage = async (docker: Docker, ref: string): Promise<void> => {
  try {
    await docker.getImage(ref).remove({ noprune: true });
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  }
};

export const inspectImage = async (docker: Docker, ref: string): Promise<Docker.ImageInspectInfo | undefined> => {
  try {
    return await docker.getImage(ref).inspect();
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
};
