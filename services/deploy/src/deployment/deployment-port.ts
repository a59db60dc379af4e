import type { EventStore } from '@slipway/event-store';
import type { BuildStrategy, ChosenPort, EventData, DeploymentRequested } from '@slipway/proto';
import type { ImageProcessReader } from '../swarm';
import { choosePort, type PortEvidence } from './port-choice';

/**
 * Gathers what the port choice needs — the restored deployment's port (a rollback), the image's
 * EXPOSE (from the registry), the strategy its build used — and chooses. Only what is needed is read.
 */
export const deploymentPort = async (
  store: EventStore,
  readImage: ImageProcessReader,
  deploymentId: string,
  request: Pick<EventData<typeof DeploymentRequested>, 'spec' | 'trigger'>,
  imageRef: string,
): Promise<ChosenPort> => {
  const evidence: PortEvidence = { given: request.spec.port };
  if (evidence.given !== undefined) return choosePort(evidence);
  if (request.trigger.kind === 'rollback') {
    const restoredId = request.trigger.toDeploymentId;
    const { events } = await store.read({ context: 'deploy', aggregate: 'deployment', id: restoredId });
    const rolledOut = events.find((e) => e.type === 'DeploymentRolledOut')?.data.port as ChosenPort | undefined;
    const ranOn = (events.find((e) => e.type === 'DeploymentRequested')?.data.spec as { port?: number } | undefined)?.port;
    const port = rolledOut ?? (ranOn ? { number: ranOn, reason: 'set on the service' } : undefined);
    if (port) return choosePort({ restored: { deploymentId: restoredId, port } });
  }
  // An image whose config cannot be read (no registry in its name) says nothing: the defaults decide.
  evidence.exposed = (await readImage(imageRef).catch(() => undefined))?.exposedPorts ?? [];
  const build = await store.read({ context: 'build', aggregate: 'build', id: deploymentId });
  evidence.strategy = build.events.find((e) => e.type === 'BuildStarted')?.data.strategy as BuildStrategy | undefined;
  return choosePort(evidence);
};
