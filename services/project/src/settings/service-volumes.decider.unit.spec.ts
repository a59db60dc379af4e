import { deciderSpec, exampleServiceSpec } from '@slipway/testing';
import { volumeMountPath, volumeName } from '@slipway/proto';
import { serviceSettingsDecider, type ServiceSettingsEvent } from './service-settings.decider';

const now = '2026-11-28T10:00:00.000Z';
const ids = { projectId: 'p_1', serviceId: 's_1' };
const created: ServiceSettingsEvent = { type: 'ProjectCreated', data: { projectId: 'p_1', name: 'shop', createdAt: now } };
const web: ServiceSettingsEvent = { type: 'ServiceCreated', data: { ...ids, name: 'web', spec: exampleServiceSpec() } };
const data = { name: 'data', mountPath: '/var/lib/app' };
const dataAdded: ServiceSettingsEvent = { type: 'ServiceVolumeAdded', data: { ...ids, volume: data, volumes: [data] } };
const add = (name: string, mountPath: string) => ({ type: 'AddVolume' as const, data: { ...ids, name, mountPath } });
const { given } = deciderSpec(serviceSettingsDecider);

describe('service volumes', () => {
  it('adds a volume with the whole list after it; the same one again changes nothing', () => {
    given([created, web]).when(add('data', '/var/lib/app')).then([dataAdded]);
    given([created, web, dataAdded]).when(add('data', '/var/lib/app/')).then([]);
    const uploads = { name: 'uploads', mountPath: '/srv/uploads' };
    given([created, web, dataAdded])
      .when(add('uploads', '/srv/uploads'))
      .then([{ type: 'ServiceVolumeAdded', data: { ...ids, volume: uploads, volumes: [data, uploads] } }]);
  });

  it('refuses a name taken for another path, a path inside another volume, and an eleventh volume', () => {
    given([created, web, dataAdded]).when(add('data', '/srv')).thenThrows('Service web already has a volume named data, mounted at /var/lib/app');
    given([created, web, dataAdded]).when(add('cache', '/var/lib/app/cache')).thenThrows('Volume data is mounted at /var/lib/app, which overlaps /var/lib/app/cache');
    given([created, web, dataAdded]).when(add('lib', '/var/lib')).thenThrows(/overlaps/);
    const ten = Array.from({ length: 10 }, (_, i) => ({ name: `v${i}`, mountPath: `/v${i}` }));
    const full: ServiceSettingsEvent = { type: 'ServiceVolumeAdded', data: { ...ids, volume: ten[9], volumes: ten } };
    given([created, web, full]).when(add('more', '/more')).thenThrows('Service web has 10 volumes already, the most a service may have');
  });

  it('removes a volume; removing one it does not have changes nothing', () => {
    given([created, web, dataAdded])
      .when({ type: 'RemoveVolume', data: { ...ids, name: 'data' } })
      .then([{ type: 'ServiceVolumeRemoved', data: { ...ids, name: 'data', volumes: [] } }]);
    given([created, web]).when({ type: 'RemoveVolume', data: { ...ids, name: 'data' } }).then([]);
  });

  it('checks mount paths and names in the words a user understands', () => {
    const problem = (path: string) => volumeMountPath.safeParse(path).error?.issues[0]?.message;
    expect(problem('/data')).toBeUndefined();
    expect(problem('/var/lib/postgresql/data')).toBeUndefined();
    expect(problem('data')).toBe('must be an absolute path, like /data');
    expect(problem('/')).toMatch(/must not be \/ \(the whole filesystem\)/);
    expect(problem('/data/../etc')).toBe('must not contain "." or ".." parts');
    for (const system of ['/proc', '/sys', '/dev', '/etc', '/etc/nginx', '/usr/lib']) expect(problem(system)).toMatch(/must not be a system directory/);
    expect(problem('/my data')).toMatch(/spaces/);
    expect(problem('/a,b')).toMatch(/commas/);
    expect(volumeName.safeParse('pg-data').success).toBe(true);
    expect(volumeName.safeParse('Data_1').error?.issues[0]?.message).toMatch(/lower-case letters, digits and "-"/);
  });
});
