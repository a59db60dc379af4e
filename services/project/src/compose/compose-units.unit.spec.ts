import { choosePort } from './compose-ports';
import { cpuCores, durationMs, memoryBytes } from './compose-units';

describe('Compose units', () => {
  it.each([
    ['30s', 30_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1h', 3_600_000],
    ['1.5s', 1_500],
    ['0', 0],
    ['10', undefined],
    ['soon', undefined],
    ['5s and more', undefined],
  ])('duration %s → %s ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it.each([
    ['512M', 512 * 2 ** 20],
    ['512m', 512 * 2 ** 20],
    ['1g', 2 ** 30],
    ['1.5GiB', 1.5 * 2 ** 30],
    ['256mb', 256 * 2 ** 20],
    ['128 MB', 128 * 2 ** 20],
    ['1024k', 2 ** 20],
    ['1048576', 2 ** 20],
    [1048576, 2 ** 20],
    ['lots', undefined],
    ['-1g', undefined],
  ])('memory %s → %s bytes', (text, bytes) => {
    expect(memoryBytes(text)).toBe(bytes);
  });

  it.each([
    ['0.5', 0.5],
    [2, 2],
    ['.25', 0.25],
    ['0', undefined],
    ['half', undefined],
  ])('cpus %s → %s', (text, cores) => {
    expect(cpuCores(text)).toBe(cores);
  });
});

describe('choosePort', () => {
  it.each([
    [['3000'], 3000],
    [['8080:80'], 80],
    [['127.0.0.1:8080:80/tcp'], 80],
    [['[::1]:6001:6001'], 6001],
    [['::1:6000:6000'], 6000],
    [['127.0.0.1::5000'], 5000],
    [[3000], 3000],
    [[{ target: 8000, published: '80' }], 8000],
  ])('%j → %d', (ports, container) => {
    expect(choosePort(ports, undefined).port?.container).toBe(container);
  });

  it('prefers ports over expose, and says why', () => {
    expect(choosePort(['8080:80'], ['9000']).port).toEqual({ container: 80, from: 'ports', reason: 'the first container port under ports: 8080:80' });
    expect(choosePort(undefined, ['9000/tcp', 9001]).port).toEqual({ container: 9000, from: 'expose', reason: 'the first port under expose (ports names none): 9000/tcp' });
    expect(choosePort(undefined, undefined)).toEqual({ notes: [] });
  });

  it('serves the first port of a range and says so', () => {
    const choice = choosePort(['8000-8010:8000-8010'], undefined);
    expect(choice.port?.container).toBe(8000);
    expect(choice.notes.map((n) => n.message)).toContain('8000-8010:8000-8010 is a range; its first port, 8000, is served');
  });

  it('skips UDP ports, and falls back to expose when ports has no TCP one', () => {
    const choice = choosePort(['53:53/udp'], ['8053']);
    expect(choice.port).toMatchObject({ container: 8053, from: 'expose' });
    expect(choice.notes[0]).toEqual({ key: 'ports', message: '53:53/udp: only TCP is served; other protocols are not reachable from outside' });
  });
});
