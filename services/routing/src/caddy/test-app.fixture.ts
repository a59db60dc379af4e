import type Dockerode from 'dockerode';

export { buildTestApp } from '@slipway/testing';

/**
 * A Swarm service for the app, with the rollout settings of services/deploy/src/swarm (start-first
 * update with rollback, health check every 2 s, dnsrr on the project network). Restated here
 * because one service never imports another.
 */
export const appServiceSpec = (name: string, image: string, network: string): Dockerode.ServiceSpec => ({
  Name: name,
  Labels: { 'slipway.test': 'routing' },
  TaskTemplate: {
    ContainerSpec: {
      Image: image,
      HealthCheck: {
        Test: ['CMD-SHELL', `node -e "require('http').get('http://127.0.0.1:3000/healthz',r=>process.exit(r.statusCode<400?0:1)).on('error',()=>process.exit(1))"`],
        Interval: 2e9,
        Timeout: 2e9,
        Retries: 3,
        StartPeriod: 5e9,
      },
      StopGracePeriod: 10e9,
    },
    Resources: { Limits: { NanoCPUs: 1e9, MemoryBytes: 256 * 1024 * 1024 } },
    RestartPolicy: { Condition: 'any', Delay: 2e9 },
    Networks: [{ Target: network }],
  },
  Mode: { Replicated: { Replicas: 1 } },
  UpdateConfig: { Parallelism: 1, Delay: 0, Order: 'start-first', FailureAction: 'rollback', Monitor: 10e9, MaxFailureRatio: 0 },
  EndpointSpec: { Mode: 'dnsrr' },
});

/**
 * A project network as the deploy service creates it (services/deploy/src/swarm/project-network.plan.ts):
 * attachable overlay, a /24 whose lower half is Swarm's ip-range, .254 reserved for the edge.
 */
export const createProjectNetwork = async (docker: Dockerode, name: string): Promise<void> => {
  const taken = new Set((await docker.listNetworks()).flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet)));
  for (let i = Math.floor(Math.random() * 256); ; i = (i + 1) % 256) {
    const prefix = `10.223.${i}`;
    if (taken.has(`${prefix}.0/24`)) continue;
    await docker.createNetwork({
      Name: name,
      Driver: 'overlay',
      Attachable: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: `${prefix}.0/24`, IPRange: `${prefix}.0/25` }] },
      Labels: { 'slipway.test': 'routing', 'slipway.edge-address': `${prefix}.254` },
    });
    return;
  }
};
