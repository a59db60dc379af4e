import { platformServices } from '@slipway/proto';
import { startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '../platform-process';
import { GraphqlTestClient } from './graphql-client.fixture';
import { edgeRoots, HttpsTestClient } from './https-client.fixture';

export interface SignedInPlatform {
  /** Signed in as the instance owner. */
  api: GraphqlTestClient;
  /** HTTPS through the edge, trusting its roots. */
  https: HttpsTestClient;
  /** Closes the clients and stops every process. */
  stop(): Promise<void>;
}

/** Every platform service and a gateway, from dist/, with the owner signed in: what an API e2e test starts from. */
export const startSignedInPlatform = async (): Promise<SignedInPlatform> => {
  const processes: PlatformProcess[] = [...(await startPlatformProcesses(platformServices.map((s) => s.name)))];
  const gateway = await startPlatformProcess('gateway', { waitForReady: false });
  processes.push(gateway);
  const api = new GraphqlTestClient(gateway.port);
  await waitUntil('the platform to be ready', async () => (await gateway.health()).status === 200, 60_000);
  await api.signInAsOwner();
  const https = new HttpsTestClient(await edgeRoots());
  return {
    api,
    https,
    stop: async () => {
      await api.close();
      https.close();
      await Promise.all(processes.map((p) => p.stop()));
    },
  };
};
