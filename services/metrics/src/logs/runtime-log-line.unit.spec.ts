import { containerStreamFields, dockerSince, LineSplitter, MAX_LINE_BYTES, runtimeLogRecord, timeKey } from './runtime-log-line';

const swarmLabels = {
  'slipway.project': 'p-1',
  'slipway.service': 's-1',
  'com.docker.swarm.service.name': 'shop-api',
  'com.docker.swarm.task.id': 'x7k2m9q',
  'com.docker.swarm.task.name': 'shop-api.2.x7k2m9q',
};
const fields = containerStreamFields('0123456789abcdef0123', swarmLabels)!;

describe('containerStreamFields', () => {
  it('names the project, service, task, replica (the task slot) and short container id', () => {
    expect(fields).toEqual({ project: 'p-1', service: 'shop-api', serviceId: 's-1', task: 'x7k2m9q', replica: '2', container: '0123456789ab' });
  });
  it('skips a container that is not a Slipway app', () => {
    expect(containerStreamFields('abc', { 'com.docker.swarm.service.name': 'other' })).toBeNull();
    expect(containerStreamFields('abc', undefined)).toBeNull();
  });
  it('a plain container with the label (no swarm task) has an empty replica', () => {
    expect(containerStreamFields('abc', { 'slipway.service': 's-2' })).toMatchObject({ serviceId: 's-2', replica: '', task: '' });
  });
});

describe('runtimeLogRecord', () => {
  it("takes Docker's timestamp off the line", () => {
    expect(runtimeLogRecord('2026-11-30T07:12:24.356445161Z listening on 3000', 'stdout', fields, 'now')).toEqual({
      _msg: 'listening on 3000',
      _time: '2026-11-30T07:12:24.356445161Z',
      stream: 'stdout',
      ...fields,
    });
  });
  it('keeps a line without a timestamp, stamped when it was received', () => {
    expect(runtimeLogRecord('{"oops', 'stderr', fields, '2026-11-30T00:00:00.000Z')).toMatchObject({ _msg: '{"oops', _time: '2026-11-30T00:00:00.000Z', stream: 'stderr' });
  });
  it('drops a trailing carriage return and cuts a huge line', () => {
    expect(runtimeLogRecord('2026-11-30T07:12:24Z done\r', 'stdout', fields, 'now')._msg).toBe('done');
    const huge = runtimeLogRecord('x'.repeat(MAX_LINE_BYTES + 10), 'stdout', fields, 'now')._msg;
    expect(huge).toHaveLength(MAX_LINE_BYTES + '… [cut]'.length);
    expect(huge.endsWith('… [cut]')).toBe(true);
  });
  it('keeps an empty line as an empty message', () => {
    expect(runtimeLogRecord('2026-11-30T07:12:24.1Z ', 'stdout', fields, 'now')._msg).toBe('');
  });
});

describe('timeKey and dockerSince', () => {
  it('orders timestamps of different precision by time', () => {
    const a = timeKey('2026-11-30T07:12:24.5Z');
    const b = timeKey('2026-11-30T07:12:24.356445161Z');
    expect(a).toBe('2026-11-30T07:12:24.500000000Z');
    expect(b < a).toBe(true);
    expect(timeKey('2026-11-30T07:12:24Z')).toBe('2026-11-30T07:12:24.000000000Z');
    expect(timeKey('2026-11-30T08:12:24.25+01:00')).toBe('2026-11-30T07:12:24.250000000Z');
  });
  it("gives Docker's since as seconds with nanoseconds", () => {
    expect(dockerSince(timeKey('2026-11-30T07:12:24.356445161Z'))).toBe(`${Date.parse('2026-11-30T07:12:24Z') / 1000}.356445161`);
  });
});

describe('LineSplitter', () => {
  it('joins a line split across chunks and keeps the last line until it ends', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push('one\ntw');
    s.push('o\nthr');
    expect(lines).toEqual(['one', 'two']);
    s.end();
    expect(lines).toEqual(['one', 'two', 'thr']);
  });
  it('does not hold a line without newline past the limit', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push('y'.repeat(MAX_LINE_BYTES + 1));
    expect(lines).toHaveLength(1);
  });
});
