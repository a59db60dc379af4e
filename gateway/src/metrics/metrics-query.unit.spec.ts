import { hostQueries, MAX_POINTS, mergePoints, serviceQueries, timeRange } from './metrics-query';
import { deploymentSamples, renderPlatformMetrics } from './platform-metrics';

describe('metrics time range', () => {
  it('turns ISO times into seconds and keeps a step that fits', () => {
    expect(timeRange('2026-11-30T07:00:00Z', '2026-11-30T08:00:00Z', 60)).toEqual({ start: 1796022000, end: 1796025600, step: 60 });
  });

  it('gives about 300 points without a step, never finer than the 10 s collection', () => {
    expect(timeRange('2026-11-30T07:00:00Z', '2026-11-30T08:00:00Z').step).toBe(12);
    expect(timeRange('2026-11-30T07:00:00Z', '2026-11-30T07:05:00Z').step).toBe(10);
    expect(timeRange('2026-11-30T07:00:00Z', '2026-11-30T07:05:00Z', 1).step).toBe(10);
  });

  it('raises a step that would give more than 1,500 points', () => {
    const week = timeRange('2026-11-23T00:00:00Z', '2026-11-30T00:00:00Z', 10);
    expect(week.step).toBe(404);
    expect(Math.floor((week.end - week.start) / week.step) + 1).toBeLessThanOrEqual(MAX_POINTS);
  });

  it('refuses what is not a range, naming the argument', () => {
    expect(() => timeRange('yesterday', '2026-11-30T08:00:00Z')).toThrow(expect.objectContaining({ field: 'from', message: expect.stringMatching(/not a time/) }));
    expect(() => timeRange('2026-11-30T08:00:00Z', '2026-11-30T07:00:00Z')).toThrow(expect.objectContaining({ field: 'to', message: expect.stringMatching(/must come after/) }));
    expect(() => timeRange('2026-11-30T07:00:00Z', '2026-11-30T08:00:00Z', 0)).toThrow(expect.objectContaining({ field: 'step' }));
    expect(() => timeRange('2026-11-30T07:00:00Z', '2026-11-30T08:00:00Z', 2.5)).toThrow(expect.objectContaining({ field: 'step' }));
  });
});

describe('metrics queries', () => {
  it('sums a service over its containers, its id escaped', () => {
    const q = serviceQueries('svc_1"}or{x="', 30);
    expect(q.cpu).toBe('sum(last_over_time(slipway_container_cpu_cores{service="svc_1\\"}or{x=\\""}[30s]))');
    expect(serviceQueries('s', 10).netRxBytes).toBe('sum(rate(slipway_container_network_receive_bytes_total{service="s"}[30s]))');
    expect(Object.keys(serviceQueries('s', 10))).toEqual(['cpu', 'memoryBytes', 'netRxBytes', 'netTxBytes', 'restarts']);
    expect(hostQueries(60).load1).toBe('last_over_time(slipway_host_load1[60s])');
  });

  it('merges the series into points by time, summing series and filling a missing field with 0', () => {
    const points = mergePoints({
      cpu: [{ values: [[1796022000, '0.5'], [1796022010, '1']] }, { values: [[1796022010, '0.25']] }],
      memoryBytes: [{ values: [[1796022010, '1024']] }],
    });
    expect(points).toEqual([
      { at: '2026-11-30T07:00:00.000Z', cpu: 0.5, memoryBytes: 0 },
      { at: '2026-11-30T07:00:10.000Z', cpu: 1.25, memoryBytes: 1024 },
    ]);
    expect(mergePoints({ cpu: [] })).toEqual([]);
  });
});

describe("the platform's own metrics", () => {
  it('counts deployments by outcome and their durations in a histogram', () => {
    const rows = [
      { status: 'SUCCEEDED', createdAt: '2026-11-30T07:00:00Z', finishedAt: '2026-11-30T07:00:08Z' },
      { status: 'FAILED', createdAt: '2026-11-30T07:00:00Z', finishedAt: '2026-11-30T07:01:00Z' },
      { status: 'BUILDING', createdAt: '2026-11-30T07:00:00Z', finishedAt: null },
      { status: 'CANCELLED', createdAt: '2026-11-30T07:00:00Z', finishedAt: '2026-11-30T07:00:01Z' },
    ];
    const text = renderPlatformMetrics(deploymentSamples(rows));
    expect(text).toContain('# TYPE slipway_deployments_requested_total counter\nslipway_deployments_requested_total 4\n');
    expect(text).toContain('slipway_deployments_finished_total{outcome="succeeded"} 1\nslipway_deployments_finished_total{outcome="failed"} 1\nslipway_deployments_finished_total{outcome="cancelled"} 1\n');
    expect(text).toContain('slipway_deployments_in_progress 1\n');
    expect(text).toContain('# TYPE slipway_deployment_duration_seconds histogram\nslipway_deployment_duration_seconds_bucket{le="5"} 0\nslipway_deployment_duration_seconds_bucket{le="10"} 1\n');
    expect(text).toContain('slipway_deployment_duration_seconds_bucket{le="60"} 2\n');
    expect(text).toContain('slipway_deployment_duration_seconds_bucket{le="+Inf"} 2\nslipway_deployment_duration_seconds_sum 68\nslipway_deployment_duration_seconds_count 2\n');
    expect(text.match(/# TYPE slipway_deployment_duration_seconds /g)).toHaveLength(1);
  });
});
