import { deciderSpec } from '@slipway/testing';
import { quotaDecider, type QuotaEvent, type ReserveData } from './quota.decider';

const now = '2026-11-30T10:00:00.000Z';
const roomy = { cpus: 8, memoryMb: 32_768, reservedMemoryMb: 0 };
const reserve = (overrides: Partial<ReserveData> = {}) => ({
  type: 'Reserve' as const,
  data: {
    projectId: 'p_1',
    projectName: 'shop',
    deploymentId: 'd_1',
    holder: 's_web',
    resources: { cpu: 0.5, memoryMb: 256, replicas: 2 },
    defaults: {},
    capacity: roomy,
    ...overrides,
  },
});
const quotaSet = (limits: Record<string, number>): QuotaEvent => ({ type: 'QuotaSet', data: { projectId: 'p_1', limits, setAt: now } });
const reserved = (holder: string, deploymentId: string, cpu: number, replicas: number, extra: Record<string, unknown> = {}): QuotaEvent => ({
  type: 'ResourcesReserved',
  data: { projectId: 'p_1', deploymentId, holder, resources: { cpu, memoryMb: 256, replicas }, ...extra },
});
const { given } = deciderSpec(quotaDecider);

describe('project quota', () => {
  it('reserves what fits, and rejects in the words the deployment shows: the limit, the use and the request', () => {
    given([quotaSet({ cpu: 2 })]).when(reserve()).then([reserved('s_web', 'd_1', 0.5, 2)]);
    given([quotaSet({ cpu: 2 }), reserved('s_api', 'd_0', 0.75, 2)])
      .when(reserve({ resources: { cpu: 0.5, memoryMb: 256, replicas: 2 } }))
      .then([{ type: 'ReservationRejected', data: { projectId: 'p_1', deploymentId: 'd_1', reason: 'Over quota: project shop would use 2.5 of 2 CPU cores' } }]);
  });

  it('counts a redeploy of a service instead of its running version, not beside it', () => {
    given([quotaSet({ cpu: 1 }), reserved('s_web', 'd_0', 0.5, 2)])
      .when(reserve({ deploymentId: 'd_2' }))
      .then([reserved('s_web', 'd_2', 0.5, 2, { previous: { cpu: 0.5, memoryMb: 256, replicas: 2 } })]);
  });

  it('applies the instance defaults to a project without limits of its own, and its own limits over them', () => {
    given([]).when(reserve({ defaults: { memoryMb: 256 } })).then([
      { type: 'ReservationRejected', data: { projectId: 'p_1', deploymentId: 'd_1', reason: 'Over quota: project shop would use 512 of 256 MB of memory' } },
    ]);
    given([quotaSet({})]).when(reserve({ defaults: { memoryMb: 256 } })).then([reserved('s_web', 'd_1', 0.5, 2)]);
  });

  it('limits replicas, running previews and volume storage', () => {
    given([quotaSet({ replicas: 3 }), reserved('s_api', 'd_0', 0.1, 2)]).when(reserve()).then([
      { type: 'ReservationRejected', data: { projectId: 'p_1', deploymentId: 'd_1', reason: 'Over quota: project shop would run 4 of 3 replicas' } },
    ]);
    const copy = (previewId: string) => reserve({ holder: `s_web-${previewId}`, previewId, deploymentId: `d_${previewId}` });
    const running = reserved('s_web-pr-1', 'd_pr-1', 0.5, 2, { previewId: 'pr-1' });
    given([quotaSet({ previews: 1 }), running]).when(copy('pr-2')).then([
      { type: 'ReservationRejected', data: { projectId: 'p_1', deploymentId: 'd_pr-2', reason: 'Over quota: project shop would run 2 of 1 previews' } },
    ]);
    given([quotaSet({ previews: 1 }), running]).when(reserve({ holder: 's_api-pr-1', previewId: 'pr-1', deploymentId: 'd_x' })).then([
      reserved('s_api-pr-1', 'd_x', 0.5, 2, { previewId: 'pr-1' }), // another copy of the same preview
    ]);
    given([quotaSet({ storageMb: 100 })]).when(reserve({ storageUsedMb: 120.4 })).then([
      {
        type: 'ReservationRejected',
        data: { projectId: 'p_1', deploymentId: 'd_1', reason: 'Over quota: project shop uses 121 of 100 MB of volume storage; delete data or volumes, or ask the instance owner for more' },
      },
    ]);
  });

  it("checks the machine's capacity too: cores per replica, and memory Swarm has left", () => {
    given([]).when(reserve({ resources: { cpu: 4, memoryMb: 256, replicas: 1 }, capacity: { ...roomy, cpus: 2 } })).then([
      { type: 'ReservationRejected', data: { projectId: 'p_1', deploymentId: 'd_1', reason: "Over capacity: a replica asks for 4 CPU cores and this machine has 2; lower the service's CPU" } },
    ]);
    given([]).when(reserve({ capacity: { cpus: 2, memoryMb: 1024, reservedMemoryMb: 768 } })).then([
      {
        type: 'ReservationRejected',
        data: { projectId: 'p_1', deploymentId: 'd_1', reason: 'Over capacity: this machine has 256 MB of memory left (1024 MB, 768 MB reserved by running services) and shop asks for 512 MB' },
      },
    ]);
  });

  it('gives back what a failed redeploy took (the earlier version runs on), and everything when a service goes', () => {
    const history = [reserved('s_web', 'd_0', 0.5, 2), reserved('s_web', 'd_1', 1, 2, { previous: { cpu: 0.5, memoryMb: 256, replicas: 2 } })];
    given(history)
      .when({ type: 'Release', data: { projectId: 'p_1', holder: 's_web', deploymentId: 'd_1', reason: 'failed' } })
      .then([{ type: 'ResourcesReleased', data: { projectId: 'p_1', holder: 's_web', deploymentId: 'd_1', reason: 'failed', restored: { cpu: 0.5, memoryMb: 256, replicas: 2 } } }]);
    // An older deployment's end changes nothing: the newer one holds the service.
    given(history).when({ type: 'Release', data: { projectId: 'p_1', holder: 's_web', deploymentId: 'd_0', reason: 'failed' } }).then([]);
    given(history).when({ type: 'Release', data: { projectId: 'p_1', reason: 'deleted' } }).then([{ type: 'ResourcesReleased', data: { projectId: 'p_1', holder: 's_web', reason: 'deleted' } }]);
  });

  it('counts a stopped service as nothing until it starts again, and follows scales', () => {
    const stopped: QuotaEvent = { type: 'ResourcesReleased', data: { projectId: 'p_1', holder: 's_web', reason: 'stopped' } };
    const history = [quotaSet({ cpu: 1 }), reserved('s_web', 'd_0', 0.5, 2), stopped];
    given(history).when(reserve({ holder: 's_api', deploymentId: 'd_9' })).then([reserved('s_api', 'd_9', 0.5, 2)]);
    given(history).when({ type: 'Release', data: { projectId: 'p_1', holder: 's_web', reason: 'stopped' } }).then([]);
    given(history)
      .when({ type: 'FollowReplicas', data: { projectId: 'p_1', holder: 's_web', replicas: 2 } })
      .then([{ type: 'ResourcesReserved', data: { projectId: 'p_1', holder: 's_web', resources: { cpu: 0.5, memoryMb: 256, replicas: 2 } } }]);
    given([reserved('s_web', 'd_0', 0.5, 2)]).when({ type: 'FollowReplicas', data: { projectId: 'p_1', holder: 's_web', replicas: 2 } }).then([]);
  });

  it('records a quota once, and a redelivered reservation once', () => {
    given([quotaSet({ cpu: 2 })]).when({ type: 'SetQuota', data: { projectId: 'p_1', limits: { cpu: 2 } }, now }).then([]);
    given([reserved('s_web', 'd_1', 0.5, 2)]).when(reserve()).then([]);
  });
});
