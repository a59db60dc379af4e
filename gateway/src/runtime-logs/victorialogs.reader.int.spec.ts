import { randomUUID } from 'node:crypto';
import { victoriaLogsUrl } from '@slipway/proto';
import { waitUntil } from '@slipway/testing';
import { readServiceLogPage, tailServiceLogs } from './victorialogs.reader';

/** The gateway's reads against the real VictoriaLogs: pages, search and the live tail. */
const vlogs = victoriaLogsUrl(process.env.VICTORIALOGS_URL);

const store = async (serviceId: string, lines: { t: string; msg: string; stream?: string }[]) => {
  const body = lines
    .map((l) => JSON.stringify({ _msg: l.msg, _time: l.t, stream: l.stream ?? 'stdout', project: 'p', service: 'svc', serviceId, task: 't', replica: '1', container: 'c' }))
    .join('\n');
  const res = await fetch(`${vlogs}/insert/jsonline?_stream_fields=project,service,serviceId,task,replica,container`, {
    method: 'POST',
    headers: { 'content-type': 'application/stream+json' },
    body,
  });
  expect(res.status).toBe(200);
};

describe('runtime logs in VictoriaLogs, as the gateway reads them', () => {
  const serviceId = `s-${randomUUID().slice(0, 8)}`;
  const base = Date.now() - 60_000;
  // 25 lines, 5 of them at the very same time: pages must neither skip nor repeat them.
  const lines = Array.from({ length: 25 }, (_, i) => ({ t: new Date(base + (i < 10 ? i : 10) * 1000 + (i >= 15 ? i : 0)).toISOString(), msg: `line ${String(i).padStart(2, '0')}` }));

  beforeAll(async () => {
    await store(serviceId, [...lines, { t: new Date(base).toISOString(), msg: 'Server LISTENING on "port" 3000 (a|b)', stream: 'stderr' }]);
    await waitUntil('the lines to be searchable', async () => (await readServiceLogPage({ serviceId, first: 100 })).lines.length === 26, 5_000);
  });

  it('pages through every line once, newest first', async () => {
    const read: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof readServiceLogPage>> = await readServiceLogPage({ serviceId, first: 4, after, search: 'line' });
      read.push(...page.lines.map((l) => l.message));
      after = page.nextCursor;
      pages++;
    } while (after && pages < 20);
    expect(pages).toBe(7);
    expect([...read].sort()).toEqual(lines.map((l) => l.msg).sort());
    expect(new Set(read).size).toBe(25);
    expect(read[0]).toBe('line 24');
  });

  it('finds text in any case, with quotes and regexp characters taken literally', async () => {
    const page = await readServiceLogPage({ serviceId, search: 'listening on "PORT" 3000 (a|b)' });
    expect(page.lines).toEqual([expect.objectContaining({ message: 'Server LISTENING on "port" 3000 (a|b)', stream: 'stderr', replica: '1', container: 'c' })]);
    expect((await readServiceLogPage({ serviceId, search: 'a|b' })).lines).toHaveLength(1);
    expect((await readServiceLogPage({ serviceId, search: '.*' })).lines).toHaveLength(0);
  });

  it('keeps to since and until', async () => {
    const page = await readServiceLogPage({ serviceId, since: new Date(base + 2000).toISOString(), until: new Date(base + 5000).toISOString() });
    expect(page.lines.map((l) => l.message)).toEqual(['line 04', 'line 03', 'line 02']);
  });

  it('tails new lines, each once, about a second after they are stored', async () => {
    const tail = tailServiceLogs(serviceId);
    const first = tail.next();
    const t0 = Date.now();
    await store(serviceId, [{ t: new Date().toISOString(), msg: 'live 1' }]);
    expect((await first).value?.message).toBe('live 1');
    const ms = Date.now() - t0;
    await store(serviceId, [{ t: new Date().toISOString(), msg: 'live 2' }]);
    expect((await tail.next()).value?.message).toBe('live 2');
    await tail.return(undefined);
    expect(ms).toBeLessThan(5_000);
    console.log(`stored → tailed: ${ms} ms`);
  });
});
