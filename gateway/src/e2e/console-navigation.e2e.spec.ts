import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { GraphqlTestClient, infraEnv, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess, screenshotBothWidths } from '@slipway/testing';

/**
 * Finding one's way in the console, in Debian's Chromium against the real gateway: the projects
 * list searched and paged, breadcrumbs, tabs in the URL, the same validation everywhere, variables
 * at project and global level, withdrawing an invitation, and the deployment page naming its
 * service and project. Each page is saved at desktop and phone width as
 * artifacts/screenshots/nav-*.png.
 */

describe('console: search, paging, breadcrumbs, tabs, variables and invitations, in a browser', () => {
  const processes: PlatformProcess[] = [];
  const prefix = `nav-${randomUUID().slice(0, 5)}`;
  const globalKey = `NAV_${randomUUID().slice(0, 6).toUpperCase().replace(/-/g, '_')}`;
  let browser: Browser;
  let page: Page;
  let base: string;
  let api: GraphqlTestClient;
  let projectId: string;
  let serviceId: string;
  let deploymentId: string;

  const shot = (name: string) => screenshotBothWidths(page, `nav-${name}`);

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    processes.push(...(await startPlatformProcesses(['project', 'deploy', 'quota', 'build'])));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    await waitUntil('the gateway to answer', async () => (await gateway.health()).status > 0, 30_000);
    base = `http://127.0.0.1:${gateway.port}`;
    api = new GraphqlTestClient(gateway.port);
    const token = await api.signInAsOwner();
    // Thirteen projects with one prefix: a search for it fills a page of twelve and one more.
    for (let i = 1; i <= 13; i++) {
      const { createProject } = await api.request<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: `${prefix}-${String(i).padStart(2, '0')}` });
      if (i === 1) projectId = createProject.id;
    }
    serviceId = (
      await api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } },
      })
    ).createService.id;
    // An image that is not there: the deployment fails at once, and is there to open.
    deploymentId = (await api.request<{ deployService: { id: string } }>('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: serviceId })).deployService.id;
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.context().addCookies([{ name: 'slipway_session', value: token, url: base, httpOnly: true, sameSite: 'Strict' }]);
  }, 180_000);

  afterAll(async () => {
    await api?.execute('mutation($k: String!) { deleteGlobalEnvVar(key: $k) { __typename } }', { k: globalKey }).catch(() => undefined);
    await browser?.close();
    await api?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('searches the projects and pages through them, in the URL', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('searchbox', { name: 'Search projects' }).fill(prefix);
    await page.getByText('1–12 of 13 projects').waitFor();
    const cards = page.getByRole('list', { name: 'Projects' }).getByRole('link', { name: new RegExp(`^${prefix}-`) });
    expect(await cards.count()).toBe(12);
    await shot('projects-search');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: /next/i }).click();
    await page.getByText('13–13 of 13 projects').waitFor();
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    expect(new URL(page.url()).searchParams.get('q')).toBe(prefix);
    await page.getByRole('link', { name: `${prefix}-13` }).waitFor();
    await page.getByRole('searchbox', { name: 'Search projects' }).fill(`${prefix}-zz`);
    await page.getByText('No project matches').waitFor();
  });

  it('shows where a page sits, and goes back through the breadcrumbs', async () => {
    await page.goto(`${base}/deployments/${deploymentId}`);
    await page.getByRole('heading', { name: 'Deployment of web' }).waitFor();
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
    await crumbs.getByRole('link', { name: `${prefix}-01` }).waitFor();
    await waitUntil('the deployment to fail', async () => /failed/i.test((await page.getByTestId('deployment-status').textContent()) ?? ''), 60_000, 250);
    await shot('deployment');
    await crumbs.getByRole('link', { name: 'web' }).click();
    await page.waitForURL(new RegExp(`/services/${serviceId}$`));
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: `${prefix}-01` }).click();
    await page.waitForURL(new RegExp(`/projects/${projectId}$`));
    await page.getByRole('heading', { name: `${prefix}-01` }).waitFor();
    await shot('project');
  });

  it('keeps the open tab in the URL, and checks settings as create-service does', async () => {
    await page.goto(`${base}/services/${serviceId}?tab=settings`);
    expect(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true');
    await page.getByLabel('Port').fill('0');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Port must be 1 to 65535').waitFor();
    await shot('service-settings-invalid');
    await page.getByRole('tab', { name: 'Environment' }).click();
    // Tabs change the URL within the page (history.pushState): no load event to wait for.
    await waitUntil('the URL to name the tab', async () => page.url().endsWith('?tab=env'), 5_000, 50);
    await page.goBack();
    await waitUntil('Back to reopen the tab before', async () => page.url().endsWith('?tab=settings'), 5_000, 50).catch((e: Error) => {
      throw new Error(`${e.message} (at ${page.url()})`);
    });
    expect(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('tab', { name: 'Deployments' }).click();
    await waitUntil('the default tab to leave the URL clean', async () => page.url().endsWith(`/services/${serviceId}`), 5_000, 50);
  });

  it("edits the project's variables on its Environment tab", async () => {
    await page.goto(`${base}/projects/${projectId}?tab=env`);
    await page.getByRole('button', { name: /add variable/i }).click();
    const form = page.getByRole('form', { name: 'New variable' });
    await form.getByLabel('Key').fill('9LIVES');
    await form.getByRole('button', { name: /save variable/i }).click();
    await form.getByText('Key must be letters, digits and "_", not starting with a digit').waitFor();
    await form.getByLabel('Key').fill('SHARED_URL');
    await form.getByLabel('Value').fill('https://shared.example.test');
    await form.getByRole('button', { name: /save variable/i }).click();
    await page.getByRole('list', { name: 'Variables' }).getByText('SHARED_URL').waitFor();
    await shot('project-env');
    const { envVars } = await api.request<{ envVars: { vars: { key: string; value: string }[] } }>('query($p: ID) { envVars(projectId: $p) { vars { key value } } }', { p: projectId });
    expect(envVars.vars).toContainEqual({ key: 'SHARED_URL', value: 'https://shared.example.test' });
  });

  it('edits the global variables, the instance owner\'s', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Global variables' }).click();
    await page.getByRole('heading', { name: 'Global variables' }).waitFor();
    await page.getByRole('button', { name: /add variable/i }).click();
    const form = page.getByRole('form', { name: 'New variable' });
    await form.getByLabel('Key').fill(globalKey);
    await form.getByLabel('Value').fill('on');
    await form.getByRole('button', { name: /save variable/i }).click();
    await page.getByRole('list', { name: 'Variables' }).getByText(globalKey).waitFor();
    await shot('global-env');
    await page.getByRole('button', { name: `Delete ${globalKey}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete variable' }).click();
    // While the dialog is open the page behind it is hidden from the accessibility tree.
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await waitUntil('the variable to go', async () => (await page.getByText(globalKey).count()) === 0, 10_000);
    const { globalEnvVars } = await api.request<{ globalEnvVars: { vars: { key: string }[] } }>('{ globalEnvVars { vars { key } } }');
    expect(globalEnvVars.vars.map((v) => v.key)).not.toContain(globalKey);
  });

  it('lists a pending invitation and withdraws it; the instance owner is never told there are no members', async () => {
    const email = `withdrawn-${randomUUID().slice(0, 8)}@slipway.test`;
    await page.goto(`${base}/projects/${projectId}/members`);
    await page.getByText('Owner, as the instance owner').waitFor();
    expect(await page.getByText('No members yet').count()).toBe(0);
    const invite = page.getByRole('form', { name: 'Invite a member' });
    await invite.getByLabel('Email').fill(email);
    await invite.getByRole('button', { name: /^invite$/i }).click();
    const link = (await page.getByLabel(`Invitation link for ${email}`).textContent())?.trim() ?? '';
    const pending = page.getByRole('list', { name: 'Pending invitations' });
    await pending.getByText(email).waitFor();
    await shot('members-pending');
    await pending.getByRole('button', { name: `Withdraw the invitation for ${email}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Withdraw invitation' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await waitUntil('the invitation to leave the list', async () => (await page.getByRole('list', { name: 'Pending invitations' }).getByText(email).count()) === 0, 10_000);
    const code = link.split('/invite/')[1];
    const answer = await api.execute('query($c: String!) { invitation(code: $c) { email } }', { c: code });
    expect(answer.errors?.[0].message).toBe('This invitation was withdrawn; ask for a new one');
  });

  it('names people in the audit log', async () => {
    await page.goto(`${base}/projects/${projectId}/audit`);
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('cell').filter({ hasText: /@/ }).first().waitFor();
    expect(await page.getByText(/\bu_[0-9a-z]{10,}/).count()).toBe(0);
    await shot('audit');
  });
});
