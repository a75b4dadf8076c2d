import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Collector, Counter } from './fixtures/workers.mjs';
import { nextEvent } from './helpers/events.js';

describe('the child runtime', () => {
  it('does not import execa, xstate, node:crypto nor node:v8: they would cost start-up time in every child', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'prodcon-trace-'));
    const traceFile = join(directory, 'imports.txt');
    const hook = fileURLToPath(new URL('./fixtures/hooks/trace-imports.mjs', import.meta.url));
    process.env.PRODCON_TRACE_FILE = traceFile;
    try {
      const consumer = new Collector({ workTimeout: 10, execArgv: ['--import', hook] });
      const producer = new Counter({ args: { stopAt: 100 }, subscribers: [consumer.getWorkQueue()], execArgv: ['--import', hook] });
      await consumer.start();
      const done = nextEvent(producer, 'state', (state) => state === 'stopped');
      await producer.start();
      await done;
      await consumer.stopAtQueueEnd();
      const imported = readFileSync(traceFile, 'utf8').split('\n').filter(Boolean);
      expect(imported.some((url) => url.includes('@prodcon') || url.includes('/packages/core/'))).toBe(true); // the trace works
      expect(imported.filter((url) => /\/execa\/|vendor\/execa/.test(url))).toEqual([]);
      expect(imported.filter((url) => /\/xstate\//.test(url))).toEqual([]);
      // The main process needs them (ids, the v8 codec when chosen); a child loads them on first use only.
      expect(imported.filter((url) => /^node:(crypto|v8)$/.test(url))).toEqual([]);
    } finally {
      delete process.env.PRODCON_TRACE_FILE;
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
