import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../platform-process';

/** Where the console tests leave their screenshots (git-ignored), for a person to look at. */
export const SCREENSHOTS_DIR = join(repoRoot, 'artifacts', 'screenshots');

/** What of a Playwright page this needs (libs/testing does not depend on Playwright). */
interface ScreenshotPage {
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
}

/** The page at desktop width, then on a phone, then back: `<name>.png` and `<name>-phone.png`. */
export const screenshotBothWidths = async (page: ScreenshotPage, name: string, fullPage = true): Promise<void> => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}-phone.png`), fullPage });
  await page.setViewportSize({ width: 1280, height: 800 });
};
