import { deciderSpec, exampleServiceSpec } from '@slipway/testing';
import { ENV_LIMITS, globalEnvDecider, projectEnvDecider, type ProjectEnvEvent } from './env-vars.decider';

const now = '2026-11-28T10:00:00.000Z';
const sealed = { alg: 'aes-256-gcm' as const, iv: 'aXY=', tag: 'dGFn', data: 'c2VhbGVk' };
const created: ProjectEnvEvent = { type: 'ProjectCreated', data: { projectId: 'p_1', name: 'shop', createdAt: now } };
const web: ProjectEnvEvent = {
  type: 'ServiceCreated',
  data: { projectId: 'p_1', serviceId: 's_1', name: 'web', spec: exampleServiceSpec({ env: [{ key: 'NODE_ENV', value: 'production' }] }) },
};
const plain = (key: string, value: string) => ({ key, secret: false as const, value });
const secret = (key: string) => ({ key, secret: true as const, sealedValue: sealed });
const { given } = deciderSpec(projectEnvDecider);

describe('project and service env vars', () => {
  it('sets a project variable, and setting the same plain value again changes nothing', () => {
    const set: ProjectEnvEvent = { type: 'ProjectEnvVarSet', data: { projectId: 'p_1', variable: plain('LOG_LEVEL', 'info') } };
    given([created]).when({ type: 'SetProjectEnvVar', data: set.data }).then([set]);
    given([created, set]).when({ type: 'SetProjectEnvVar', data: set.data }).then([]);
    given([created, set])
      .when({ type: 'SetProjectEnvVar', data: { projectId: 'p_1', variable: plain('LOG_LEVEL', 'debug') } })
      .then([{ type: 'ProjectEnvVarSet', data: { projectId: 'p_1', variable: plain('LOG_LEVEL', 'debug') } }]);
  });

  it('records a secret every time it is set (each sealing differs), and turns a plain variable secret', () => {
    const data = { projectId: 'p_1', serviceId: 's_1', variable: secret('NODE_ENV') };
    given([created, web]).when({ type: 'SetServiceEnvVar', data }).then([{ type: 'ServiceEnvVarSet', data }]);
    given([created, web, { type: 'ServiceEnvVarSet', data }]).when({ type: 'SetServiceEnvVar', data }).then([{ type: 'ServiceEnvVarSet', data }]);
  });

  it('removes a variable the service was created with; removing it again is already done', () => {
    const removal = { projectId: 'p_1', serviceId: 's_1', key: 'NODE_ENV' };
    given([created, web]).when({ type: 'RemoveServiceEnvVar', data: removal }).then([{ type: 'ServiceEnvVarRemoved', data: removal }]);
    given([created, web, { type: 'ServiceEnvVarRemoved', data: removal }]).when({ type: 'RemoveServiceEnvVar', data: removal }).then([]);
  });

  it('names the project or service that does not exist', () => {
    given([]).when({ type: 'SetProjectEnvVar', data: { projectId: 'p_1', variable: plain('A', '1') } }).thenThrows('No project p_1');
    given([created])
      .when({ type: 'SetServiceEnvVar', data: { projectId: 'p_1', serviceId: 's_9', variable: plain('A', '1') } })
      .thenThrows('Project shop has no service s_9');
  });

  it('bounds one level to 500 variables and 128 KiB, so a deployment carrying three levels fits one message', () => {
    const many = Array.from({ length: ENV_LIMITS.varsPerLevel }, (_, i): ProjectEnvEvent => ({
      type: 'ProjectEnvVarSet',
      data: { projectId: 'p_1', variable: plain(`V${i}`, 'x') },
    }));
    given([created, ...many])
      .when({ type: 'SetProjectEnvVar', data: { projectId: 'p_1', variable: plain('ONE_MORE', 'x') } })
      .thenThrows('Project shop has 500 env vars already, the most one level may have');
    given([created, ...many]).when({ type: 'SetProjectEnvVar', data: { projectId: 'p_1', variable: plain('V1', 'changed') } }).then([
      { type: 'ProjectEnvVarSet', data: { projectId: 'p_1', variable: plain('V1', 'changed') } },
    ]);
    const big = (key: string): ProjectEnvEvent => ({ type: 'ProjectEnvVarSet', data: { projectId: 'p_1', variable: plain(key, 'x'.repeat(32_700)) } });
    given([created, big('A'), big('B'), big('C'), big('D')])
      .when({ type: 'SetProjectEnvVar', data: { projectId: 'p_1', variable: plain('E', 'x'.repeat(2_000)) } })
      .thenThrows("Project shop's env vars would take 132805 bytes; one level may hold at most 131072 (128 KiB)");
  });
});

describe('global env vars', () => {
  const { given: globally } = deciderSpec(globalEnvDecider);
  it('sets and removes instance-wide variables', () => {
    const set = { type: 'GlobalEnvVarSet' as const, data: { variable: secret('SENTRY_DSN') } };
    globally([]).when({ type: 'SetGlobalEnvVar', data: set.data }).then([set]);
    globally([set]).when({ type: 'RemoveGlobalEnvVar', data: { key: 'SENTRY_DSN' } }).then([{ type: 'GlobalEnvVarRemoved', data: { key: 'SENTRY_DSN' } }]);
    globally([]).when({ type: 'RemoveGlobalEnvVar', data: { key: 'SENTRY_DSN' } }).then([]);
  });
});
