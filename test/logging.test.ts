/**
 * prodcon's own diagnostics: silent by default, on stderr with
 * NODE_DEBUG=prodcon, and to a pino-compatible logger given to configure(),
 * children's included.
 */
import { execa } from 'execa';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { configure, type DiagnosticLogger } from '@prodcon/core';
import { Sleeper, Ticker } from './fixtures/metrics-workers.mjs';
import { eventually } from './helpers/events.js';

const script = fileURLToPath(new URL('./fixtures/mains/diagnostics.mjs', import.meta.url));

interface Line {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

function capturingLogger(lines: Line[]): DiagnosticLogger {
  const at = (level: string) => (fields: object, message: string) => lines.push({ level, fields: fields as Record<string, unknown>, message });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('diagnostics', () => {
  it('are silent by default', async () => {
    const run = await execa('node', [script], { env: { NODE_DEBUG: '' }, timeout: 30_000 });
    expect(run.stderr).toBe('');
  });

  it('go to stderr with NODE_DEBUG=prodcon: drops and restarts', async () => {
    const run = await execa('node', [script], { env: { NODE_DEBUG: 'prodcon' }, timeout: 30_000 });
    expect(run.stderr).toMatch(/^PRODCON \d+: warn queue of consumer 'Sleeper' dropped items \{"queue":.*"overflow":\d+/m);
    expect(run.stderr).toMatch(/^PRODCON \d+: info worker 'Ticker' started again \(run 2\)/m);
  });

  it("go to a logger object, children's too (a connection closed on a bad frame in a consumer's child)", async () => {
    const lines: Line[] = [];
    configure({ logger: capturingLogger(lines) });
    try {
      const sink = new Sleeper({ output: 'ignore' });
      await sink.start();
      // A peer that speaks nonsense to the consumer's queue socket: its connection is closed, and said so.
      const queue = sink.getWorkQueue() as unknown as { binding(): { address: string } }; // internal: where writers connect
      const address = queue.binding().address;
      const socket = connect(address);
      socket.on('error', () => {});
      socket.end(Buffer.from([0, 0, 0, 0, 0xff]));
      await eventually(() => lines.some((line) => line.fields.component === 'transport'), 'the transport warning');
      const warning = lines.find((line) => line.fields.component === 'transport')!;
      expect(warning).toMatchObject({ level: 'warn', fields: { worker: 'Sleeper' } });
      expect(warning.message).toMatch(/closing/);
      await sink.stop();

      const ticker = new Ticker({ workTimeout: 1000, output: 'ignore' });
      await ticker.start();
      await ticker.start();
      await ticker.stop();
      expect(lines).toContainEqual({ level: 'info', fields: { worker: 'Ticker', runs: 2 }, message: "worker 'Ticker' started again (run 2)" });
    } finally {
      configure({ logger: null });
    }
  });

  it('refuse a logger without the four methods', () => {
    expect(() => configure({ logger: { info: () => {} } as unknown as DiagnosticLogger })).toThrow(/"logger" must have debug, info, warn and error methods/);
  });
});
