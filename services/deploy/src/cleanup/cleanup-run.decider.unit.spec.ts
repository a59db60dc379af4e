import type { CleanupItem } from '@slipway/proto';
import { deciderSpec } from '@slipway/testing';
import { cleanupRunDecider, type CleanupRunEvent } from './cleanup-run.decider';

const now = '2026-11-30T03:01:00.000Z';
const startData = { runId: 'cl_1', dryRun: false, trigger: 'manual' as const, keepDeployments: 10, startedAt: '2026-11-30T03:00:00.000Z', deadline: '2026-11-30T03:15:00.000Z' };
const started: CleanupRunEvent = { type: 'CleanupStarted', data: startData };
const item: CleanupItem = { kind: 'network', name: 'slipway-gone', bytes: 0, reason: 'project gone was deleted' };
const tag: CleanupItem = { kind: 'registry-tag', name: '127.0.0.1:5000/shop/web:v1', bytes: 1000, reason: 'old' };
const part = (p: 'deploy' | 'routing' | 'build', items: CleanupItem[] = [item], error?: string) => ({
  runId: 'cl_1',
  part: p,
  dryRun: false,
  items,
  notes: [],
  reclaimedBytes: items.reduce((n, i) => n + i.bytes, 0),
  ...(error ? { error } : {}),
});
const reported = (p: 'deploy' | 'routing' | 'build', items: CleanupItem[] = [item], error?: string): CleanupRunEvent => ({ type: 'CleanupPartReported', data: part(p, items, error) });
const { given } = deciderSpec(cleanupRunDecider);

describe('clean-up run decider', () => {
  it('starts once: a second start of the same run (two schedulers, a restart) decides nothing', () => {
    given([]).when({ type: 'StartCleanup', data: startData }).then([started]);
    given([started]).when({ type: 'StartCleanup', data: startData }).then([]);
  });

  it('finishes when the third part reports, with the items and bytes of all three', () => {
    given([started, reported('deploy', [item, tag]), reported('routing', [])])
      .when({ type: 'ReportPart', data: part('build', [{ ...tag, kind: 'image' as const }]), now })
      .then([reported('build', [{ ...tag, kind: 'image' as const }]), { type: 'CleanupFinished', data: { runId: 'cl_1', dryRun: false, itemCount: 3, reclaimedBytes: 2000, finishedAt: now } }]);
  });

  it('takes each part once', () => {
    given([started, reported('deploy')]).when({ type: 'ReportPart', data: part('deploy'), now }).then([]);
  });

  it('fails, naming the part, when a part could not finish', () => {
    given([started, reported('deploy', [], 'the registry did not answer'), reported('routing', [])])
      .when({ type: 'ReportPart', data: part('build', []), now })
      .then([reported('build', []), { type: 'CleanupFailed', data: { runId: 'cl_1', reason: 'Part of the clean-up could not finish (deploy: the registry did not answer)', finishedAt: now } }]);
  });

  it('fails at the deadline only while running, and takes no report after', () => {
    const failed: CleanupRunEvent = { type: 'CleanupFailed', data: { runId: 'cl_1', reason: 'The build service did not report within 15 minute(s) (is it running?)', finishedAt: now } };
    given([started]).when({ type: 'FailCleanup', data: { runId: 'cl_1', reason: failed.data.reason as string }, now }).then([failed]);
    given([started, failed]).when({ type: 'FailCleanup', data: { runId: 'cl_1', reason: 'again' }, now }).then([]);
    given([started, failed]).when({ type: 'ReportPart', data: part('build'), now }).then([]);
  });

  it('records a removal even after the end, and refuses one for a run that never started', () => {
    const removal = { ...item, runId: 'cl_1', part: 'deploy' as const };
    given([started]).when({ type: 'RecordRemoval', data: removal }).then([{ type: 'CleanupItemRemoved', data: removal }]);
    given([]).when({ type: 'RecordRemoval', data: removal }).thenThrows(/No clean-up run cl_1/);
  });
});
