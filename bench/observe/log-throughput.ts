/**
 * The log line of bench/observe: an app that, asked over HTTP, writes `rate` lines a second for
 * `seconds`, each with its sequence number and its own write time (Date.now()); and the measure of
 * when the lines become searchable through the gateway's serviceLogs.
 */
import { performance } from 'node:perf_hooks';
import type { GraphqlTestClient } from '@slipway/testing';

/** About 120 bytes a line, like an access log's. */
const server = `const http = require('node:http');
const pad = 'x'.repeat(80);
const emit = (run, rate, seconds) => {
  const total = rate * seconds;
  const t0 = Date.now();
  let i = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor(((Date.now() - t0) * rate) / 1000) + 1);
    let chunk = '';
    for (; i < due; i++) chunk += 'obs ' + run + ' #' + String(i).padStart(7, '0') + ' t=' + Date.now() + ' ' + pad + '\\n';
    if (chunk) process.stdout.write(chunk);
    if (i < total) setTimeout(tick, 2);
  };
  tick();
};
http.createServer((req, res) => {
  // /emit/<run>/<rate>/<seconds>: in the path, as the tests' HTTPS client sends no query string.
  const asked = /^\\/emit\\/([a-z0-9]+)\\/(\\d+)\\/(\\d+)$/.exec(req.url);
  if (asked) {
    emit(asked[1], Number(asked[2]), Number(asked[3]));
    res.writeHead(202);
    return res.end('emitting');
  }
  res.writeHead(200);
  res.end('ok');
}).listen(3000, () => console.log('listening on 3000'));
process.on('SIGTERM', () => process.exit(0));
`;

export const logApp = {
  'server.js': server,
  'package.json': JSON.stringify({ name: 'bench-observe-app', version: '1.0.0', private: true }),
  Dockerfile: `FROM node:24-bookworm-slim
WORKDIR /app
COPY package.json server.js ./
EXPOSE 3000
USER node
CMD ["node", "server.js"]
`,
};

export const seqText = (run: string, seq: number) => `${run} #${String(seq).padStart(7, '0')} `;
const ownTime = (message: string) => Number(/ t=(\d+) /.exec(message)?.[1] ?? NaN);

export interface LineSample {
  seq: number;
  /** The app's Date.now() when it wrote the line. */
  writtenAt: number;
  /** Date.now() when a serviceLogs search first answered with it. */
  searchableAt: number;
}

/**
 * Polls serviceLogs with a search for each sampled sequence number (SAMPLES, evenly spread, the
 * first and last line among them) until every one is found or `timeoutMs` passed. A sample is asked
 * for only once its line is due (start + seq / rate), so each round asks about the lines in flight.
 */
export const sampleSearchable = async (
  api: GraphqlTestClient,
  o: { serviceId: string; run: string; total: number; rate: number; startedAt: number; since: string; samples: number; timeoutMs: number },
) => {
  const seqs = [...new Set(Array.from({ length: o.samples }, (_, k) => Math.round((k * (o.total - 1)) / (o.samples - 1))))];
  const found: LineSample[] = [];
  const pending = new Set(seqs);
  let queries = 0;
  let rounds = 0;
  let failed = 0;
  const ask = async (seq: number) => {
    const answer = await api.request<{ serviceLogs: { lines: { message: string }[] } }>(
      'query($id: ID!, $q: String, $since: String) { serviceLogs(serviceId: $id, search: $q, since: $since, first: 1) { lines { message } } }',
      { id: o.serviceId, q: seqText(o.run, seq).trim(), since: o.since },
    ).catch(() => null);
    queries++;
    if (!answer) return void failed++;
    const line = answer.serviceLogs.lines[0];
    if (!line) return;
    found.push({ seq, writtenAt: ownTime(line.message), searchableAt: Date.now() });
    pending.delete(seq);
  };
  const deadline = performance.now() + o.timeoutMs;
  while (pending.size && performance.now() < deadline) {
    const due = [...pending].filter((seq) => o.startedAt + (seq * 1000) / o.rate <= Date.now());
    for (let i = 0; i < due.length; i += 32) await Promise.all(due.slice(i, i + 32).map(ask));
    rounds++;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { found: found.sort((a, b) => a.seq - b.seq), missing: [...pending], queries, failed, rounds };
};

/** Lines of the run stored, read from VictoriaLogs directly (counting 100,000 lines a page at a time through serviceLogs would take longer than the run). */
export const storedLines = async (victoriaLogs: string, serviceId: string, run: string, since: string) => {
  const query = `{serviceId=${JSON.stringify(serviceId)}} _time:>=${since} ${JSON.stringify(run)} | stats count() lines, count_uniq(_msg) distinct`;
  const res = await fetch(`${victoriaLogs}/select/logsql/query`, { method: 'POST', body: new URLSearchParams({ query }) });
  if (!res.ok) throw new Error(`VictoriaLogs answered ${res.status}: ${await res.text()}`);
  const row = JSON.parse((await res.text()).trim().split('\n')[0] || '{}') as { lines?: string; distinct?: string };
  return { lines: Number(row.lines ?? 0), distinct: Number(row.distinct ?? 0) };
};
