/**
 * Debian's chromium, driven by playwright-core, for the dashboard's browser
 * tests. Under CI (and .ci/run) a missing chromium fails the tests; on a
 * developer's machine without it they are skipped, saying why.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.PRODCON_CHROMIUM ?? '/usr/bin/chromium';

/** Whether the browser tests run here: chromium is installed, or CI requires them (and they fail without it). */
export const browserTestsRun = existsSync(CHROMIUM) || process.env.CI !== undefined;

export interface Browser {
  page: Page;
  close(): Promise<void>;
}

/** Headless chromium with a fresh profile, nothing it would fetch on its own, no sandbox (root in CI). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium is required for the dashboard's browser tests: ${CHROMIUM} is missing (apt-get install -y chromium; .ci/run does)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'prodcon-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
