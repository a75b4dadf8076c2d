/**
 * Random hex for ids and one-time tokens. From Web Crypto's global rather than
 * an import of `node:crypto`: that import costs every child ~4 ms of start-up
 * (measured, Node 20), and only the main process makes ids; the global loads
 * its module on first use.
 */
export function randomHex(bytes: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString('hex');
}
