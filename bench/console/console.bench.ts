// The console's live log under 1,000 lines a second, in Debian's Chromium against the real gateway:
// how long the page's frames take while the lines pour in, and whether every line arrives.
// `npm run bench:console`; BENCH_RATE (lines/s, default 1000) and BENCH_SECONDS (default 10).
import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { chromium } from 'playwright-core';
import { logSubject, type LogLine } from '@slipway/proto';
import { GraphqlTestClient, infraEnv, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';
import { busCredentials } from '@slipway/messaging';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

const main = async () => {
  const processes: PlatformProcess[] = [];
  try {
    processes.push(...(await startPlatformProcesses(['project', 'deploy', 'quota', 'build'])));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    await waitUntil('the gateway', async () => (await gateway.health()).status > 0, 30_000);
    const api = new GraphqlTestClient(gateway.port);
    const token = await api.signInAsOwner();
    // A deployment to attach the log to: an image that is not there fails at once, and stays.
    const projectId = (await api.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "logbench-${randomUUID().slice(0, 6)}" }) { id } }`)).createProject.id;
    const serviceId = (
      await api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/bench/none:1` } } },
      })
    ).createService.id;
    const deploymentId = (await api.request<{ deployService: { id: string } }>(`mutation { deployService(serviceId: "${serviceId}") { id } }`)).deployService.id;
    await waitUntil('the deployment to fail', async () => (await api.request<{ deployment: { status: string } }>(`{ deployment(id: "${deploymentId}") { status } }`)).deployment.status === 'FAILED', 60_000);

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: 'slipway_session', value: token, url: `http://127.0.0.1:${gateway.port}` }]);
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${gateway.port}/deployments/${deploymentId}`);
    await page.getByText(/\d+ lines/).first().waitFor();
    const before = Number(/([\d,]+) lines/.exec((await page.getByText(/\d+ lines/).first().textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);
    // Frame intervals as the page sees them (requestAnimationFrame), from now until told to stop.
    // (A string: this code runs in the page, not in Node.)
    await page.evaluate(`(() => {
      window.frames_ = [];
      let last = performance.now();
      const tick = (t) => { window.frames_.push(t - last); last = t; if (!window.stop_) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);

    const nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    const js = jetstream(nc);
    const total = RATE * SECONDS;
    const started = performance.now();
    let sent = 0;
    // In batches every 10 ms, on schedule: the rate a busy build's output reaches the log stream.
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
      const acks: Promise<unknown>[] = [];
      for (; sent < due; sent++) {
        const line: LogLine = { timestamp: new Date().toISOString(), stream: 'stdout', message: `line ${sent} of the log bench: ${'x'.repeat(60)}` };
        acks.push(js.publish(logSubject(deploymentId), JSON.stringify(line)));
      }
      await Promise.all(acks);
      await new Promise((r) => setTimeout(r, 10));
    }
    const sendSeconds = (performance.now() - started) / 1000;
    const countNow = async () => Number(/([\d,]+) lines/.exec((await page.getByText(/\d+ lines/).first().textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);
    await waitUntil('every line to reach the page', async () => (await countNow()) >= before + total, 60_000, 100).catch(() => undefined);
    const arrivedAfterS = (performance.now() - started) / 1000;
    const shown = (await countNow()) - before;
    const frames = (await page.evaluate('(() => { window.stop_ = true; return window.frames_.slice(1); })()')) as number[];
    const rows = await page.locator('[aria-label^="Log lines"] .relative > *').count();
    await nc.close();
    await browser.close();

    console.log(`console log bench — ${new Date().toISOString()}; load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(', ')} (2 CPUs)`);
    console.log(`  sent ${total} lines at ${RATE}/s in ${sendSeconds.toFixed(1)} s; the page showed ${shown} of them ${arrivedAfterS.toFixed(1)} s after the first`);
    console.log(`  frames while receiving: ${frames.length}; interval p50 ${pct(frames, 50).toFixed(1)} ms, p99 ${pct(frames, 99).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms`);
    console.log(`  log rows in the DOM at the end: ${rows} (of ${before + shown} lines)`);
    const ok = shown >= total && pct(frames, 99) <= 100;
    console.log(`  keeps up (every line shown, frame p99 ≤ 100 ms): ${ok ? 'PASS' : 'FAIL'}`);
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
};

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
