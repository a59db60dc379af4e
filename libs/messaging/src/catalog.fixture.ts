import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { CreateProject, CreateService, type ServiceSpecInput } from '@slipway/proto';
import { newCommandMetadata, sendCommand } from './command-bus';

/**
 * For end-to-end tests: a project with one service, created through the real project service, as
 * the gateway sends it for the instance owner (whose local file:// sources the tests use).
 */
export const createCatalogFixture = async (nc: NatsConnection, spec: Partial<ServiceSpecInput> = {}) => {
  const short = randomUUID().slice(0, 8);
  const projectId = `p_${short}`;
  const serviceId = `s_${short}`;
  const actor = { kind: 'user', id: 'u_e2e' } as const;
  await sendCommand(nc, CreateProject, { projectId, name: `e2e-${short}` }, newCommandMetadata(actor));
  await sendCommand(
    nc,
    CreateService,
    {
      projectId,
      serviceId,
      name: 'web',
      spec: {
        source: { kind: 'image', ref: '127.0.0.1:5000/e2e/web:1' },
        port: 3000,
        env: [],
        replicas: 1,
        resources: { cpu: 0.25, memoryMb: 128 },
        healthCheck: { kind: 'http', path: '/' },
        domains: [],
        build: { dockerfilePath: 'Dockerfile' },
        security: { readOnlyRootFilesystem: false },
        ...spec,
      },
      callerStanding: 'instance-owner',
    },
    newCommandMetadata(actor),
  );
  return { projectId, serviceId, projectName: `e2e-${short}` };
};
