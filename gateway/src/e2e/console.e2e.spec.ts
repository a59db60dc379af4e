import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { chromium, type Browser, type Page } from 'playwright-core';
import { platformServices } from '@slipway/proto';
import {
  GitRepoFixture,
  GraphqlTestClient,
  edgeRoots,
  HttpsTestClient,
  nodeApp,
  nodeDockerfile,
  repoRoot,
  startPlatformProcess, startPlatformProcesses,
  waitUntil,
  type PlatformProcess,
} from '@slipway/testing';

/**
 * The console as a person uses it, in Debian's Chromium against the real platform: as the instance
 * owner, create a project and a service from a local git repository, deploy, watch the log arrive
 * live, open the app, deploy a change, roll back; invite a member, who joins through the invitation
 * link and signs in through the form. Every main page is saved as a screenshot under
 * artifacts/screenshots/console-*.png.
 */
const shots = join(repoRoot, 'artifacts', 'screenshots');
let servicePath = '/';

describe('console: from sign-in to a rollback, in a browser', () => {
  const processes: PlatformProcess[] = [];
  const repo = new GitRepoFixture();
  const project = `ui-${randomUUID().slice(0, 6)}`;
  const docker = new Dockerode();
  let browser: Browser;
  let page: Page;
  let base: string;
  let api: GraphqlTestClient;
  let https: HttpsTestClient;
  let projectId: string | undefined;

  const shot = async (name: string, fullPage = true) => {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, `console-${name}.png`), fullPage });
  };

  /** Waits on the deployment page until it shows a final status, and returns it. */
  const finalStatus = async () => {
    const status = page.getByTestId('deployment-status');
    await waitUntil('the deployment to finish', async () => /succeeded|failed|cancelled/i.test((await status.textContent()) ?? ''), 180_000, 250);
    return ((await status.textContent()) ?? '').trim().toLowerCase();
  };

  beforeAll(async () => {
    // First: a browser launched after a timed-out wait would never be assigned, nor closed.
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const env = { SLIPWAY_ROLLOUT_TIMEOUT_MS: '90000' };
    processes.push(...(await startPlatformProcesses(platformServices.map((s) => s.name), { env })));
    const gateway = await startPlatformProcess('gateway', { env, waitForReady: false });
    processes.push(gateway);
    await waitUntil('the platform to be ready', async () => (await gateway.health()).status === 200, 60_000);
    base = `http://127.0.0.1:${gateway.port}`;
    api = new GraphqlTestClient(gateway.port);
    https = new HttpsTestClient(await edgeRoots());
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    https?.close();
    await Promise.all(processes.map((p) => p.stop()));
    repo.remove();
    // Housekeeping for re-runs on the same machine; E2E_KEEP=1 keeps the app to look at.
    if (process.env.E2E_KEEP || !projectId) return;
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove();
  });

  it('opens the projects page with the instance owner\'s session', async () => {
    // The owner may be a real person whose password the tests do not know: their session comes from
    // signInAsOwner (the tests' own account, or one issued from the host), in the console's cookie.
    const token = await api.signInAsOwner();
    await page.context().addCookies([{ name: 'slipway_session', value: token, url: base, httpOnly: true, sameSite: 'Strict' }]);
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    await shot('projects');
  });

  it('creates a project and a service from a local git repository', async () => {
    repo.commit({ ...nodeApp('v1'), Dockerfile: nodeDockerfile }, 'v1');
    await page.getByRole('textbox', { name: 'New project' }).fill(project);
    await page.getByRole('button', { name: /create project/i }).click();
    await page.waitForURL(/\/projects\/p_/);
    projectId = /\/projects\/(p_[a-z0-9]+)/.exec(page.url())?.[1];
    await page.getByRole('heading', { name: project }).waitFor();
    await shot('project-empty');

    await page.getByRole('button', { name: /create (your first )?service/i }).first().click();
    const form = page.getByRole('form', { name: 'Create service' });
    await form.getByLabel('Name').fill('web');
    await form.getByLabel('Port').fill('3000');
    await form.getByLabel('Health check path').fill('/healthz');
    await form.getByLabel('Repository URL').fill(repo.url);
    await shot('create-service');
    await form.getByRole('button', { name: /create service/i }).click();
    await page.waitForURL(/\/services\/s_/);
    await page.getByRole('heading', { name: 'web' }).waitFor();
    await shot('service');
  });

  it('deploys, with the log arriving live, and serves the app over HTTPS', async () => {
    await page.getByRole('button', { name: /^deploy/i }).click();
    await page.waitForURL(/\/deployments\/d_/);
    // Lines arrive while the deployment is still running: the log is live, not loaded at the end.
    const lineCount = async () => Number(/([\d,]+) lines/.exec((await page.getByText(/\d+ lines/).first().textContent()) ?? '')?.[1]?.replace(/,/g, '') ?? 0);
    await waitUntil('log lines to arrive', async () => (await lineCount()) > 3, 120_000, 200);
    expect(await page.getByTestId('deployment-status').textContent()).not.toMatch(/succeeded|failed/i);
    await shot('deployment-running');
    expect(await finalStatus()).toBe('succeeded');
    // The whole log is searchable: the build's first step is found among all the lines.
    await page.getByPlaceholder('Search the log').fill('FROM node:24');
    await page.getByText(/[1-9]\d* of [\d,]+ lines match/).waitFor();
    await shot('deployment');
    await page.getByPlaceholder('Search the log').fill('');
    const url = await page.getByRole('link', { name: /https:\/\/web-/ }).getAttribute('href');
    expect(await https.get(url!)).toMatchObject({ status: 200, body: 'hello from v1\n' });
  });

  it('deploys a change, then rolls back to the first version', async () => {
    repo.commit(nodeApp('v2'), 'v2');
    await page.goBack();
    await page.waitForURL(/\/services\/s_/);
    await page.getByRole('button', { name: /^deploy/i }).click();
    await page.waitForURL(/\/deployments\/d_/);
    expect(await finalStatus()).toBe('succeeded');
    const url = (await page.getByRole('link', { name: /https:\/\/web-/ }).getAttribute('href'))!;
    expect((await https.get(url)).body).toBe('hello from v2\n');

    await page.goBack();
    await page.waitForURL(/\/services\/s_/);
    await page.getByRole('button', { name: /roll back to the deployment/i }).first().click();
    await shot('rollback-confirm');
    await page.getByRole('dialog').getByRole('button', { name: /^roll back$/i }).click();
    await page.waitForURL(/\/deployments\/d_/);
    expect(await finalStatus()).toBe('succeeded');
    expect((await https.get(url)).body).toBe('hello from v1\n');
    await page.goBack();
    await page.waitForURL(/\/services\/s_/);
    // The rollback is the newest of three, and the one serving now.
    await page.getByRole('list', { name: 'Deployments' }).getByRole('listitem').nth(2).waitFor();
    expect(await page.getByRole('list', { name: 'Deployments' }).getByRole('listitem').first().textContent()).toMatch(/serving now.*rollback/);
    await shot('service-after-rollback');
    // Each hostname's certificate, on the Domains tab (Caddy's own CA for the localhost name).
    servicePath = new URL(page.url()).pathname;
    await page.getByRole('tab', { name: 'Domains' }).click();
    await page.getByRole('list', { name: 'Certificates' }).getByText(/Issued by Caddy Local Authority/).waitFor({ timeout: 30_000 });
    await shot('service-domains');
  });

  it('invites a member, who joins through the invitation link and signs in through the form', async () => {
    const member = { email: `member-${randomUUID().slice(0, 8)}@slipway.test`, password: 'member-password-1' };
    await page.goto(`${base}/projects/${projectId}/members`);
    const invite = page.getByRole('form', { name: 'Invite a member' });
    await invite.getByLabel('Email').fill(member.email);
    await invite.getByRole('button', { name: /^invite$/i }).click();
    const link = (await page.getByLabel(`Invitation link for ${member.email}`).textContent())?.trim() ?? '';
    expect(link).toMatch(new RegExp(`^${base}/invite/`));

    // The member's own browser: no session of the owner's.
    const theirs = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await theirs.goto(link);
      await theirs.getByText(`You are invited to ${project} as developer`).waitFor();
      expect(await theirs.getByLabel('Email').inputValue()).toBe(member.email);
      await theirs.getByLabel('Password').fill(member.password);
      await theirs.screenshot({ path: join(shots, 'console-sign-up.png'), fullPage: true });
      await theirs.getByRole('button', { name: /create account/i }).click();
      // Joined: straight to the projects page, not left on the invitation that is now spent.
      await theirs.getByRole('heading', { name: 'Projects' }).waitFor();
      await theirs.getByRole('link', { name: project }).waitFor();

      await theirs.getByRole('button', { name: /sign out/i }).click();
      await theirs.waitForURL(/\/sign-in/);
      await theirs.getByLabel('Email').fill(member.email);
      await theirs.getByLabel('Password').fill(member.password);
      await theirs.screenshot({ path: join(shots, 'console-sign-in.png'), fullPage: true });
      await theirs.getByRole('button', { name: /^sign in$/i }).click();
      await theirs.getByRole('heading', { name: 'Projects' }).waitFor();
      await theirs.getByRole('link', { name: project }).waitFor();
    } finally {
      await theirs.close();
    }
  });

  it('shows the members, tokens and audit pages, and reads on a phone in the dark', async () => {
    const projectUrl = `/projects/${projectId}`;
    for (const [path, name] of [
      [`${projectUrl}/members`, 'members'],
      [`${projectUrl}/audit`, 'audit'],
      ['/tokens', 'tokens'],
    ]) {
      await page.goto(`${base}${path}`);
      await page.getByRole('heading').first().waitFor();
      await shot(name);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => localStorage.setItem('slipway-theme', 'dark'));
    // The list pages (12 a page) and other tests leave projects: find this one by name.
    await page.goto(`${base}/?q=${project}`);
    await page.getByRole('heading', { name: 'Projects' }).waitFor();
    expect(await page.locator('html').getAttribute('class')).toMatch(/\bdark\b/);
    await page.getByRole('link', { name: project }).waitFor();
    await shot('projects-phone-dark', false);
    await page.goto(`${base}${servicePath}`);
    await page.getByRole('tab', { name: 'Domains' }).click();
    await page.getByRole('list', { name: 'Certificates' }).waitFor();
    await shot('service-domains-phone-dark');
  });
});
