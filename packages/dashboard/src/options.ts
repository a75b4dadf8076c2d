import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { DashboardError } from './errors.js';

/** Options of startDashboard(). */
export interface DashboardOptions {
  /** The port to listen on (default 0: any free port; the URL says which). */
  port?: number;
  /**
   * The address to bind (default `127.0.0.1`: this machine only). Any other
   * address opens the dashboard, and its buttons, to the network: it then
   * needs a `token`.
   */
  host?: string;
  /**
   * A secret every request must carry (`?token=...`, in the URL the
   * dashboard returns); `true` makes a random one. Required for a
   * non-loopback host, optional otherwise.
   */
  token?: string | true;
  /** How often the page gets fresh figures (ms, default 500). */
  intervalMs?: number;
}

/** The options, checked and completed. */
export interface Settings {
  port: number;
  host: string;
  token: string | undefined;
  intervalMs: number;
  /** Bound to a loopback address: only this machine can reach it. */
  local: boolean;
}

/** Whether `host` is a loopback address or name (only this machine reaches it). */
function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export function settingsFrom(options: DashboardOptions): Settings {
  if (options === null || typeof options !== 'object') throw new DashboardError('ERR_DASHBOARD_OPTION', 'startDashboard() takes an object of options');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new DashboardError('ERR_DASHBOARD_OPTION', `startDashboard(): "port" must be a port number (0 for any), got ${String(port)}`);
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new DashboardError('ERR_DASHBOARD_OPTION', 'startDashboard(): "host" must be an address');
  const intervalMs = options.intervalMs ?? 500;
  if (typeof intervalMs !== 'number' || !(intervalMs >= 50)) throw new DashboardError('ERR_DASHBOARD_OPTION', 'startDashboard(): "intervalMs" must be a number of ms ≥ 50');
  const local = isLoopback(host);
  const token = options.token === true ? randomBytes(18).toString('base64url') : options.token;
  if (token !== undefined && (typeof token !== 'string' || token.length < 8)) {
    throw new DashboardError('ERR_DASHBOARD_OPTION', 'startDashboard(): "token" must be a string of at least 8 characters, or true for a random one');
  }
  if (!local && token === undefined) {
    throw new DashboardError(
      'ERR_DASHBOARD_OPTION',
      `startDashboard(): host ${host} opens the dashboard (and its stop buttons) to the network; pass { token: true } (or a token of your own) so that only those given its URL can use it`,
    );
  }
  return { port, host, token, intervalMs, local };
}
