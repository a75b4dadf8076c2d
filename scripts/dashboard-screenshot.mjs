// Takes the README's screenshot of the dashboard: the sensor example run under `prodcon-dashboard`,
// the live plot following its summaries' mean, in Debian's chromium. Writes docs/dashboard.png.
// Run: node scripts/dashboard-screenshot.mjs   (after a build; needs chromium)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const out = process.argv[2] ?? 'docs/dashboard.png';
const run = spawn(process.execPath, ['packages/dashboard/dist/cli.js', 'examples/sensor.mjs', '30'], { stdio: ['ignore', 'ignore', 'pipe'] });
const url = await new Promise((resolve, reject) => {
  run.stderr.setEncoding('utf8');
  run.stderr.on('data', (text) => {
    const found = /prodcon dashboard: (\S+)/.exec(text);
    if (found) resolve(found[1]);
  });
  run.once('exit', () => reject(new Error('the dashboard exited before it said where it is')));
});
const profile = mkdtempSync(join(tmpdir(), 'prodcon-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.PRODCON_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForSelector('.card.worker[data-name="Summary"]');
  await page.selectOption('#watch-worker', { label: 'Summary' });
  await page.fill('#watch-field', 'mean');
  await page.click('#watch-form button[type="submit"]');
  await page.waitForTimeout(8000); // eight seconds of sensor data in the plot and the sparklines
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  run.kill('SIGINT'); // prodcon stops the workers, upstream first
}
