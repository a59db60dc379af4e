import { caselessRun, decodeCursor, encodeCursor, logsqlString, pageOf, parseLogLine, regexpLiteral, serviceFilter, servicePageQuery, tailQuery, type ServiceLogLine } from './service-logs.query';

const line = (timestamp: string, message = 'm'): ServiceLogLine => ({ timestamp, stream: 'stdout', message, replica: '1', container: 'c1', task: 't1' });

describe('LogsQL quoting', () => {
  it('quotes quotes, backslashes and control characters', () => {
    expect(logsqlString('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"');
  });
  it('makes regexp characters literal', () => {
    expect(regexpLiteral('GET /a?b=(1)*[x]{2}.$^|+\\')).toBe('GET /a\\?b=\\(1\\)\\*\\[x\\]\\{2\\}\\.\\$\\^\\|\\+\\\\');
  });
  it('a search cannot leave its string: pipes, filters and quotes stay text', () => {
    expect(serviceFilter('s-1', '" | delete | {serviceId="other"}')).toBe(
      '{serviceId="s-1"} *"\\" | "* _msg:~"(?i)\\" \\\\| delete \\\\| \\\\{serviceId=\\"other\\"\\\\}"',
    );
  });
  it('a search with digits or punctuation first keeps the lines holding them as typed (they have no case)', () => {
    expect(caselessRun('Order #00042 FAILED')).toBe(' #00042 ');
    expect(caselessRun('listening on 3000')).toBe(' 3000');
    expect(caselessRun('ÉCHEC')).toBe('');
    expect(serviceFilter('s-1', 'Order #00042')).toBe('{serviceId="s-1"} *" #00042"* _msg:~"(?i)Order #00042"');
    expect(serviceFilter('s-1', 'warning')).toBe('{serviceId="s-1"} _msg:~"(?i)warning"');
  });
  it('an empty or blank search filters by service only', () => {
    expect(serviceFilter('s-1', '  ')).toBe('{serviceId="s-1"}');
    expect(serviceFilter('s-1', null)).toBe('{serviceId="s-1"}');
  });
});

describe('servicePageQuery', () => {
  it('reads newest first, one line more than asked, within since and until', () => {
    expect(servicePageQuery({ serviceId: 's-1', search: 'listening on', since: '2026-11-30T07:00:00Z', until: '2026-11-30T08:00:00+01:00', first: 50 })).toEqual({
      query: '{serviceId="s-1"} _msg:~"(?i)listening on" _time:>=2026-11-30T07:00:00.000Z _time:<2026-11-30T07:00:00.000Z | sort by (_time desc) | limit 51',
      limit: 50,
    });
  });
  it('after a cursor: up to its time, skipping the lines at that time already read', () => {
    const after = encodeCursor({ t: '2026-11-30T07:12:24.356445161Z', n: 3 });
    expect(servicePageQuery({ serviceId: 's-1', after }).query).toBe('{serviceId="s-1"} _time:<=2026-11-30T07:12:24.356445161Z | sort by (_time desc) | offset 3 | limit 201');
  });
  it('refuses what it cannot read, naming the argument', () => {
    expect(() => servicePageQuery({ serviceId: 's', since: 'yesterday' })).toThrow(expect.objectContaining({ field: 'since', message: expect.stringContaining('since must be a date and time') }));
    expect(() => servicePageQuery({ serviceId: 's', first: 0 })).toThrow(expect.objectContaining({ field: 'first' }));
    expect(() => servicePageQuery({ serviceId: 's', first: 5000 })).toThrow(expect.objectContaining({ field: 'first' }));
    expect(() => servicePageQuery({ serviceId: 's', after: 'not-a-cursor' })).toThrow(expect.objectContaining({ field: 'after' }));
  });
});

describe('pageOf', () => {
  it('no next cursor when everything fit', () => {
    expect(pageOf([line('2026-11-30T07:00:02Z'), line('2026-11-30T07:00:01Z')], 2, null)).toEqual({ lines: expect.any(Array), nextCursor: null });
  });
  it('the next cursor counts the lines at the last time, across pages at that same time', () => {
    const t = '2026-11-30T07:00:01Z';
    const first = pageOf([line('2026-11-30T07:00:02Z'), line(t), line(t), line(t)], 3, null);
    expect(first.lines).toHaveLength(3);
    expect(decodeCursor(first.nextCursor!)).toEqual({ t, n: 2 });
    const second = pageOf([line(t), line(t)], 1, first.nextCursor);
    expect(decodeCursor(second.nextCursor!)).toEqual({ t, n: 3 });
  });
});

describe('parseLogLine', () => {
  it("reads VictoriaLogs' JSON line", () => {
    const raw = JSON.stringify({ _msg: 'listening on 3000', _time: '2026-11-30T07:12:24.356445161Z', stream: 'stderr', replica: '2', container: 'abc', task: 't', serviceId: 's' });
    expect(parseLogLine(raw)).toEqual({ timestamp: '2026-11-30T07:12:24.356445161Z', stream: 'stderr', message: 'listening on 3000', replica: '2', container: 'abc', task: 't' });
  });
  it('an empty message is an empty string; a line that is not JSON is skipped', () => {
    expect(parseLogLine('{"_time":"2026-11-30T07:12:24Z"}')).toMatchObject({ message: '', stream: 'stdout', replica: null });
    expect(parseLogLine('{"_msg":"no time"}')).toBeNull();
    expect(parseLogLine('oops')).toBeNull();
  });
});

it('the live tail reads oldest first from a time', () => {
  expect(tailQuery('s-1', '2026-11-30T07:00:00.000Z', 1000)).toBe('{serviceId="s-1"} _time:>=2026-11-30T07:00:00.000Z | sort by (_time) | limit 1000');
});
