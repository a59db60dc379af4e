import { chromium, type Browser, type Page } from 'playwright-core';
import { startSignedInPlatform, type SignedInPlatform, type SignedInPlatformOptions } from './signed-in-platform.fixture';

export interface SignedInConsole {
  platform: SignedInPlatform;
  browser: Browser;
  /** At desktop width (1280 × 800), with the owner's session cookie. */
  page: Page;
  /** The console's address: http://127.0.0.1:<gateway port>. */
  base: string;
  /** Closes the browser, then stops the platform. */
  stop(): Promise<void>;
}

/** The platform (startSignedInPlatform) and a headless Chromium signed in as the owner: what a console e2e test starts from. */
export const startSignedInConsole = async (options: SignedInPlatformOptions = {}): Promise<SignedInConsole> => {
  const platform = await startSignedInPlatform(options);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    const base = `http://127.0.0.1:${platform.gateway.port}`;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.context().addCookies([{ name: 'slipway_session', value: platform.ownerToken, url: base, httpOnly: true, sameSite: 'Strict' }]);
    const opened = browser;
    return { platform, browser, page, base, stop: async () => (await opened.close(), await platform.stop()) };
  } catch (err) {
    await browser?.close();
    await platform.stop();
    throw err;
  }
};
