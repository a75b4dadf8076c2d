import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAssets, type Asset } from './assets.js';
import { runCommand, type Command } from './commands.js';
import { allowed, readJsonBody } from './guard.js';
import { DashboardModel } from './model.js';
import { settingsFrom, type DashboardOptions, type Settings } from './options.js';
import { ResultWatch } from './result-watch.js';
import { EventStreams } from './sse.js';

/** A running dashboard. */
export interface Dashboard {
  /** The page's address (with the token, when there is one). */
  readonly url: string;
  /** The address it is bound to, and its port. */
  readonly host: string;
  readonly port: number;
  /** Bound to a loopback address: reachable from this machine only. */
  readonly local: boolean;
  /** Stops serving: pages lose their stream, the workers' metrics go back to how they were. */
  close(): Promise<void>;
  /** `await using dash = await startDashboard()`: closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves a live dashboard of this process from this process: every worker,
 * pool, queue and pipeline (those created later too, with no registration
 * call), their metrics, the topology, the last errors, and buttons that call
 * the same API a program would. One stream of Server-Sent Events feeds the
 * page. Binds to 127.0.0.1 unless told otherwise (and then needs a token).
 *
 * @example
 * ```ts
 * import { startDashboard } from '@prodcon/dashboard';
 * const dash = await startDashboard({ port: 0 });
 * console.log(`dashboard: ${dash.url}`);
 * ```
 * @throws DashboardError (`ERR_DASHBOARD_OPTION`) for bad options, such as a non-loopback host without a token.
 */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const settings = settingsFrom(options);
  const assets = await loadAssets();
  const streams = new EventStreams();
  const model = new DashboardModel();
  const watch = new ResultWatch(model, (points) => streams.broadcast('points', JSON.stringify(points)));
  const sendState = () => streams.broadcast('state', JSON.stringify(model.state()));

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => reply(response, 500, { ok: false, error: describeError(error) }));
  });
  let port = settings.port;
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://dashboard');
    if (!allowed(request, url, settings, port)) return reply(response, 403, { ok: false, error: { message: 'forbidden' } });
    const asset = request.method === 'GET' ? assets.get(url.pathname) : undefined;
    if (asset) return sendAsset(response, asset);
    const route = `${request.method} ${url.pathname}`;
    if (route === 'GET /events') {
      return streams.open(response, (send) => {
        send('state', JSON.stringify(model.state()));
        send('watching', JSON.stringify({ watching: watch.watching ?? null, points: watch.recent() }));
      });
    }
    if (route === 'GET /api/state') return reply(response, 200, model.state());
    if (route === 'POST /api/command') {
      const command = (await readJsonBody(request)) as Command;
      try {
        await runCommand(model, command);
      } catch (error) {
        return reply(response, 409, { ok: false, error: describeError(error as Error) });
      }
      sendState(); // the page sees the effect without waiting for the next tick
      return reply(response, 200, { ok: true });
    }
    if (route === 'POST /api/watch') {
      const { id, field } = (await readJsonBody(request)) as { id: string | null; field?: string };
      const watching = id === null ? (watch.stop(), false) : watch.watch(id, field ?? '');
      streams.broadcast('watching', JSON.stringify({ watching: watch.watching ?? null, points: [] }));
      return reply(response, watching || id === null ? 200 : 404, { ok: watching || id === null });
    }
    reply(response, 404, { ok: false, error: { message: 'not found' } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // One timer for every page: fresh figures, and the points of the watched field.
  const timer = setInterval(() => {
    if (streams.size === 0) return;
    sendState();
    watch.flush();
  }, settings.intervalMs);
  timer.unref();
  server.unref(); // the dashboard never keeps the application's process alive by itself
  return dashboard(settings, port, async () => {
    clearInterval(timer);
    watch.stop();
    model.close();
    streams.closeAll();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
}

function dashboard(settings: Settings, port: number, close: () => Promise<void>): Dashboard {
  const hostInUrl = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = `http://${hostInUrl}:${port}/${settings.token ? `?token=${encodeURIComponent(settings.token)}` : ''}`;
  let closing: Promise<void> | undefined;
  const closeOnce = () => (closing ??= close());
  return { url, host: settings.host, port, local: settings.local, close: closeOnce, [Symbol.asyncDispose]: closeOnce };
}

function sendAsset(response: ServerResponse, asset: Asset): void {
  response.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-cache', 'content-length': asset.body.length });
  response.end(asset.body);
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return void response.end();
  const json = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(json);
}

function describeError(error: Error): { name: string; code: string | undefined; message: string } {
  const code = (error as { code?: unknown }).code;
  return { name: error.name, code: typeof code === 'string' ? code : undefined, message: error.message };
}
