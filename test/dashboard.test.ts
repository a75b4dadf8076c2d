/**
 * The dashboard in a real browser (Debian's chromium through playwright-core),
 * against real running workers: the graph, rates, drops, buttons, errors,
 * messages and the live plot, as a person would see and press them. Checks
 * that run in the page are strings: the tests are type-checked without the
 * DOM's types.
 */
import { ConsumerPool, type Worker } from '@prodcon/core';
import { startDashboard, type Dashboard } from '@prodcon/dashboard';
import { Numbers, Sleeper, Thrower, Ticker } from './fixtures/metrics-workers.mjs';
import { Paced } from './fixtures/pool-workers.mjs';
import { nextEvent } from './helpers/events.js';
import { browserTestsRun, launchBrowser, type Browser } from './helpers/browser.js';

// Skipped only outside CI on a machine without chromium, with the reason in the name jest prints; .ci/run
// installs chromium and sets CI, so CI never skips (without chromium there, these tests fail).
const describeInBrowser = browserTestsRun ? describe : describe.skip;
const browserSuite = browserTestsRun ? 'the dashboard, in chromium' : 'the dashboard, in chromium [skipped: no chromium: apt-get install chromium, or set PRODCON_CHROMIUM]';

describeInBrowser(browserSuite, () => {
  let browser: Browser;
  let dash: Dashboard;
  const pageErrors: string[] = [];
  const workers: Worker[] = [];

  beforeAll(async () => {
    dash = await startDashboard({ port: 0, intervalMs: 200 });
    browser = await launchBrowser();
    browser.page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 30_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop().catch(() => {})));
    await browser?.close();
    await dash?.close();
  });

  afterEach(() => expect(pageErrors).toEqual([]));

  it('shows every worker, queue and pool (made after it started too), rates, and drops rising on a lossy queue', async () => {
    const { page } = browser;
    await page.goto(dash.url);
    await page.waitForSelector('.connection:text("live")');
    // Created after the dashboard and the page: they appear with no registration call.
    const sink = new Sleeper({ name: 'lossy-sink', lossy: true, queueSize: 10, maxBufferSize: 1, workTimeout: 0, args: { ms: 5 }, output: 'ignore' });
    const sensor = new Ticker({ name: 'fast-sensor', workTimeout: 1, subscribers: [sink.getWorkQueue()], output: 'ignore' });
    const pool = new ConsumerPool(Paced, { name: 'parsers', size: 2, maxBufferSize: 10, workTimeout: 5, output: 'ignore' });
    const feeder = new Ticker({ name: 'feeder', workTimeout: 5, subscribers: [pool.getWorkQueue()], output: 'ignore' });
    workers.push(sink, sensor, feeder, ...pool.members);
    await sink.start();
    await sensor.start();
    await pool.start();
    await feeder.start();

    for (const name of ['fast-sensor', 'lossy-sink', 'feeder', 'pool parsers']) await page.waitForSelector(`svg#graph .node[data-name="${name}"]`);
    await page.waitForSelector('svg#graph .node.queue.lossy[data-name="queue of lossy-sink"]');
    await page.waitForSelector('.card.worker[data-name="parsers-1"]');
    // A rate becomes non-zero: on the producer's card and on the edge it writes along.
    await page.waitForSelector('.card.worker[data-name="fast-sensor"]:not([data-rate="0"])');
    await page.waitForFunction("[...document.querySelectorAll('svg .edge text')].some((label) => label.textContent !== '0/s')");
    // The lossy queue, fed about twice as fast as it is consumed, drops: the counter rises on the page.
    const dropped = async () => Number(await page.getAttribute('.card.queue[data-name="lossy-sink"]', 'data-dropped'));
    const droppedOnPage = `Number(document.querySelector('.card.queue[data-name="lossy-sink"]')?.dataset.dropped)`;
    await page.waitForFunction(`${droppedOnPage} > 0`);
    const first = await dropped();
    await page.waitForFunction(`${droppedOnPage} > ${first}`);
    expect(await dropped()).toBeGreaterThan(first);
    expect(await dropped()).toBeLessThanOrEqual(sink.getWorkQueue().dropped);
    expect(await page.textContent('.card.queue[data-name="lossy-sink"]')).toMatch(/overflow \d/);

    if (process.env.PRODCON_SCREENSHOT) await page.screenshot({ path: process.env.PRODCON_SCREENSHOT, fullPage: true });
    await feeder.stop();
    await pool.stop();
  });

  it('stops a worker when Stop is pressed: the page and the API agree', async () => {
    const { page } = browser;
    const sensor = workers.find((worker) => worker.name === 'fast-sensor')!;
    expect(sensor.getState()).toBe('started');
    const stopped = nextEvent(sensor, 'state', (state) => state === 'stopped');
    await page.click('.card.worker[data-name="fast-sensor"] button[data-action="stop"]');
    await stopped;
    expect(sensor.getState()).toBe('stopped');
    await page.waitForSelector('.card.worker[data-name="fast-sensor"][data-state="stopped"]');
    await page.waitForSelector('.card.worker[data-name="fast-sensor"] button[data-action="start"]:not([disabled])');
    await page.click('.card.worker[data-name="fast-sensor"] button[data-action="start"]');
    await page.waitForSelector('.card.worker[data-name="fast-sensor"][data-state="started"]');
    expect(sensor.getState()).toBe('started');
  });

  it("shows a crash: the error and the child's stack", async () => {
    const { page } = browser;
    const thrower = new Thrower({ name: 'crashing', output: 'ignore' });
    workers.push(thrower);
    const failed = nextEvent<Error>(thrower, 'error');
    await thrower.start();
    await thrower.getWorkQueue().put(1);
    await failed;
    const box = '.card.worker[data-name="crashing"] .error-box';
    await page.waitForSelector(`${box}:visible`);
    expect(await page.textContent(box)).toContain('sensor offline');
    expect(await page.textContent(`${box} pre`)).toContain('metrics-workers.mjs'); // the child's stack
    await page.waitForSelector('.card.worker[data-name="crashing"][data-state="stopped"]');
  });

  it('sends a message from the message box, and plots a field of the results live', async () => {
    const { page } = browser;
    const sink = workers.find((worker) => worker.name === 'lossy-sink')!;
    const reply = nextEvent<{ echo: unknown }>(sink, 'message');
    await page.fill('.card.worker[data-name="lossy-sink"] input[name="message"]', '{"gain": 2}');
    await page.click('.card.worker[data-name="lossy-sink"] form.message button');
    expect(await reply).toEqual({ echo: { gain: 2 } });

    await page.selectOption('#watch-worker', { label: 'lossy-sink' });
    await page.fill('#watch-field', '');
    await page.click('#watch-form button[type="submit"]');
    await page.waitForFunction("Number(document.querySelector('#plot')?.dataset.points) > 5");
    expect(await page.textContent('#watch-status')).toContain('plotting lossy-sink');
    await page.click('#watch-stop');
    await page.waitForFunction("document.querySelector('#watch-status')?.textContent === ''");
  });

  it('shows a pipeline with its progress against the total its source declares', async () => {
    const { page } = browser;
    const source = new Numbers({ name: 'numbers', args: { count: 2000 }, workTimeout: 0.5, output: 'ignore' });
    const sink = new Sleeper({ name: 'number-sink', maxBufferSize: 50, workTimeout: 10, output: 'ignore' });
    const { pipeline } = await import('@prodcon/core');
    const flow = pipeline(source, sink);
    await flow.start();
    await page.waitForSelector('#pipelines .progress-row');
    await flow.done;
    await page.waitForFunction("document.querySelector('#pipelines')?.textContent?.includes('2000 / 2000 · finished')");
  });
});

describe('the dashboard server', () => {
  it('binds to 127.0.0.1 by default, and refuses a non-loopback host without a token', async () => {
    await using dash = await startDashboard();
    expect(dash).toMatchObject({ host: '127.0.0.1', local: true });
    expect(dash.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await expect(startDashboard({ host: '0.0.0.0' })).rejects.toMatchObject({ name: 'DashboardError', code: 'ERR_DASHBOARD_OPTION' });
  });

  it('with a token, serves only requests that carry it; a loopback one only under its own host name; commands only as JSON', async () => {
    await using dash = await startDashboard({ token: 'sesame-sesame' });
    const base = `http://127.0.0.1:${dash.port}`;
    expect(dash.url).toBe(`${base}/?token=sesame-sesame`);
    expect((await fetch(`${base}/api/state`)).status).toBe(403);
    const state = await fetch(`${base}/api/state?token=sesame-sesame`);
    expect(state.status).toBe(200);
    expect(await state.json()).toHaveProperty('workers');
    expect((await fetch(dash.url)).status).toBe(200);
    // A form of another site cannot post JSON without asking first; a plain-text post is refused.
    const form = await fetch(`${base}/api/command?token=sesame-sesame`, { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } });
    expect(form.status).toBe(403);
    const unknown = await fetch(`${base}/api/command?token=sesame-sesame`, {
      method: 'POST',
      body: JSON.stringify({ id: 'worker-999', action: 'stop' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(unknown.status).toBe(409);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'ERR_DASHBOARD_COMMAND' } });
  });

  it('refuses a request whose Host header names someone else (DNS rebinding)', async () => {
    await using dash = await startDashboard();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: dash.port, path: '/api/state', headers: { host: `evil.example:${dash.port}` } }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(403);
  });
});
