import type { IncomingMessage } from 'node:http';
import type { Settings } from './options.js';

/**
 * Whether a request may be served: it carries the token (when there is one),
 * names this server in its Host header (a page of another site cannot reach
 * a loopback dashboard through a name it controls: DNS rebinding), and, for
 * a command, is JSON from a page of this origin (a form of another site
 * cannot send JSON without asking first, and is not answered).
 */
export function allowed(request: IncomingMessage, url: URL, settings: Settings, port: number): boolean {
  if (settings.token !== undefined) {
    const given = url.searchParams.get('token') ?? request.headers['x-prodcon-token'];
    if (given !== settings.token) return false;
  }
  if (settings.local) {
    const host = request.headers.host ?? '';
    const names = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${settings.host}:${port}`];
    if (!names.includes(host)) return false;
  }
  if (request.method === 'POST') {
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) return false;
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${request.headers.host}`) return false;
  }
  return true;
}

/** Reads a small JSON request body (at most 64 KiB). */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 65_536) throw new Error('request body over 64 KiB');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}
