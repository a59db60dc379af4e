import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { busCredentials, ensureLogStream } from '@slipway/messaging';
import { logSubject, type LogLine } from '@slipway/proto';
import { infraEnv } from '@slipway/testing';
import { encodeLogCursor } from './deployment-log-cursor';
import { logStartAfter, MAX_LOG_PAGE, readDeploymentLogPage } from './deployment-log-history';
import { deploymentLogLines } from './deployment-logs';

/** A deployment's log in the real LOGS stream, paged, then followed live from where the pages ended. */
describe('deployment log history', () => {
  let nc: NatsConnection;
  const deployment = () => `d_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const line = (i: number): LogLine => ({ timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(), stream: 'stdout', message: `line ${i}` });
  // Acknowledged publishes, so each line is stored before the test reads (the build publishes without waiting).
  const write = async (id: string, from: number, to: number) => {
    for (let i = from; i <= to; i++) await jetstream(nc).publish(logSubject(id), JSON.stringify(line(i)));
  };
  const messages = (page: { lines: LogLine[] }) => page.lines.map((l) => l.message);

  beforeAll(async () => {
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    await ensureLogStream(await jetstreamManager(nc));
  });
  afterAll(async () => {
    await nc.close();
  });

  it('pages through the stored lines in order, each with its cursor', async () => {
    const id = deployment();
    await write(id, 1, 10);
    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const page = await readDeploymentLogPage(nc, id, { after, first: 4 });
      pages.push(messages(page));
      expect(page.pageInfo.endCursor).toBe(page.lines.at(-1)!.cursor);
      after = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    expect(pages).toEqual([
      ['line 1', 'line 2', 'line 3', 'line 4'],
      ['line 5', 'line 6', 'line 7', 'line 8'],
      ['line 9', 'line 10'],
    ]);
    // Past the end: an empty page that keeps the cursor, so a client can come back to it later.
    expect(await readDeploymentLogPage(nc, id, { after, first: 4 })).toEqual({ lines: [], pageInfo: { endCursor: after, hasNextPage: false } });
    // The default page holds them all.
    const whole = await readDeploymentLogPage(nc, id, {});
    expect(whole.lines).toHaveLength(10);
    expect(whole.lines[0]).toMatchObject(line(1));
  });

  it('answers a deployment without lines with an empty page', async () => {
    expect(await readDeploymentLogPage(nc, deployment(), {})).toEqual({ lines: [], pageInfo: { endCursor: null, hasNextPage: false } });
  });

  it('refuses a page size out of bounds and cursors it did not give out, naming the argument', async () => {
    const id = deployment();
    await write(id, 1, 2);
    const refused = (args: { after?: string; first?: number }) => readDeploymentLogPage(nc, id, args).catch((e: Error & { extensions: object }) => ({ message: e.message, ...e.extensions }));

    expect(await refused({ first: MAX_LOG_PAGE + 1 })).toEqual({
      message: 'first must be between 1 and 5000 (got 5001): page through longer logs with after',
      code: 'BAD_USER_INPUT',
      field: 'first',
    });
    expect(await refused({ first: 0 })).toMatchObject({ field: 'first' });
    expect(await refused({ after: 'bm9wZQ' })).toEqual({ message: 'after "bm9wZQ" is not a log cursor this API gave out', code: 'BAD_USER_INPUT', field: 'after' });
    expect(await refused({ after: encodeLogCursor(id, 10 ** 12) })).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const other = deployment();
    await write(other, 1, 1);
    const othersCursor = (await readDeploymentLogPage(nc, other, {})).pageInfo.endCursor!;
    expect(await refused({ after: othersCursor })).toEqual({
      message: `after is a log cursor of deployment ${other}, not of ${id}`,
      code: 'BAD_USER_INPUT',
      field: 'after',
    });
    await expect(readDeploymentLogPage(nc, 'a.b', {})).rejects.toMatchObject({ extensions: { field: 'deploymentId' } });
  });

  it('hands over from history to live with after: every line once, in order', async () => {
    const id = deployment();
    await write(id, 1, 5);
    const history = await readDeploymentLogPage(nc, id, { first: MAX_LOG_PAGE });
    expect(messages(history)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    // Lines written between reading the history and subscribing are not lost.
    await write(id, 6, 7);
    const { afterSeq } = await logStartAfter(nc, id, history.pageInfo.endCursor);
    const live = deploymentLogLines(nc, id, afterSeq);
    const received: (LogLine & { cursor: string })[] = [];
    const following = (async () => {
      for await (const l of live) {
        received.push(l);
        if (received.length === 5) break;
      }
    })();
    await write(id, 8, 10);
    await following;
    expect(received.map((l) => l.message)).toEqual(['line 6', 'line 7', 'line 8', 'line 9', 'line 10']);
    // Live cursors are the same cursors history gives: paging from one continues after it.
    const rest = await readDeploymentLogPage(nc, id, { after: received[1].cursor });
    expect(messages(rest)).toEqual(['line 8', 'line 9', 'line 10']);
  });

  it('follows live from a cursor at the very end, and without after from the first line as before', async () => {
    const id = deployment();
    await write(id, 1, 2);
    const history = await readDeploymentLogPage(nc, id, {});
    const { afterSeq } = await logStartAfter(nc, id, history.pageInfo.endCursor);
    const fromEnd = deploymentLogLines(nc, id, afterSeq);
    const fromStart = deploymentLogLines(nc, id);
    const next = fromEnd.next();
    await write(id, 3, 3);
    expect((await next).value).toMatchObject({ message: 'line 3', cursor: expect.any(String) });
    const all = [(await fromStart.next()).value, (await fromStart.next()).value, (await fromStart.next()).value];
    expect(all.map((l) => l!.message)).toEqual(['line 1', 'line 2', 'line 3']);
    await fromEnd.return(undefined);
    await fromStart.return(undefined);
  });
});
