import { platformServices } from '@slipway/proto';
import { infraEnv } from '../infra-env';
import { startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '../platform-process';
import { GraphqlTestClient } from './graphql-client.fixture';
import { edgeRoots, HttpsTestClient } from './https-client.fixture';

export interface SignedInPlatformOptions {
  /** The platform services to start beside the gateway: every one unless told. */
  services?: string[];
  /**
   * All of them and the gateway in one process, as `npm start` runs them (the default), or each
   * in a process of its own (false), for a test that kills or replaces one service.
   */
  oneProcess?: boolean;
  /** Environment for every process, e.g. a scratch platform's NATS_URL and MONGO_URL. */
  env?: Record<string, string>;
  /** How long the gateway may take to answer healthy. */
  readyWithinMs?: number;
}

export interface SignedInPlatform {
  /**
   * Every process started, the gateway last. A test that stops or replaces one (a killed build
   * service) changes this list, so that stop() stops what runs then.
   */
  processes: PlatformProcess[];
  gateway: PlatformProcess;
  /** Signed in as the instance owner. */
  api: GraphqlTestClient;
  /** The owner's session token (the console's cookie). */
  ownerToken: string;
  /** HTTPS through the edge, trusting its roots. */
  https: HttpsTestClient;
  /** Creates a project as the owner; its id. */
  createProject(name: string): Promise<string>;
  /** Closes the clients and stops every process. */
  stop(): Promise<void>;
}

/** The platform's services and a gateway, from dist/, with the owner signed in: what an API e2e test starts from. */
export const startSignedInPlatform = async (options: SignedInPlatformOptions = {}): Promise<SignedInPlatform> => {
  const { services = platformServices.map((s) => s.name), env, readyWithinMs = 60_000, oneProcess = true } = options;
  const processes: PlatformProcess[] = oneProcess ? [] : [...(await startPlatformProcesses(services, { env }))];
  let api: GraphqlTestClient | undefined;
  let https: HttpsTestClient | undefined;
  const stop = async () => {
    await api?.close();
    https?.close();
    await Promise.all(processes.map((p) => p.stop()));
  };
  try {
    const gateway = await startPlatformProcess(oneProcess ? [...services, 'gateway'].join(',') : 'gateway', { env, waitForReady: false });
    processes.push(gateway);
    api = new GraphqlTestClient(gateway.port);
    await waitUntil('the platform to be ready', async () => (await gateway.health()).status === 200, readyWithinMs).catch(async (err: Error) => {
      const health = await gateway.health().catch(() => undefined);
      throw new Error(`${err.message}; its health: ${JSON.stringify(health?.body ?? null).slice(0, 1500)}; the end of its output:\n${gateway.output().slice(-2000)}`);
    });
    const shared = infraEnv();
    const ownerToken = await api.signInAsOwner({ NATS_URL: env?.NATS_URL ?? shared.NATS_URL, MONGO_URL: env?.MONGO_URL ?? shared.MONGO_URL });
    https = new HttpsTestClient(await edgeRoots());
    const owner = api;
    const createProject = async (name: string) =>
      (await owner.request<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: name })).createProject.id;
    return { processes, gateway, api, ownerToken, https, createProject, stop };
  } catch (err) {
    await stop();
    throw err;
  }
};
