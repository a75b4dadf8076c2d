import { execaNode } from 'execa';
import { fileURLToPath } from 'node:url';
import { TypedCounter } from './fixtures/typescript-worker.js';
import { collect, nextEvent } from './helpers/events.js';

describe('TypeScript workers', () => {
  it('run in children through tsx with no setup, even from a parent that was not started with tsx', async () => {
    const counter = new TypedCounter({ args: { label: 'typed' } });
    const results = collect<{ seq: number; label: string }>(counter, 'result');
    const stopped = nextEvent(counter, 'state', (state) => state === 'stopped');
    await counter.start();
    await stopped;
    expect(results).toEqual([
      { seq: 0, label: 'typed' },
      { seq: 1, label: 'typed' },
      { seq: 2, label: 'typed' },
    ]);
  });

  it('run from a TypeScript main script started with tsx (the README TypeScript example)', async () => {
    const example = fileURLToPath(new URL('../examples/typescript/main.ts', import.meta.url));
    const result = await execaNode(example, [], { nodeOptions: ['--import', 'tsx'], reject: false, timeout: 30_000 });
    expect(result.exitCode).toBe(0);
    // Usually one line for the five readings; on a loaded machine the averager's flush period may
    // elapse before the thermometer's child is up, splitting them. Every reading is averaged either way.
    const lines = [...String(result.stdout).matchAll(/average of (\d+) readings from lab-1: ([\d.]+) °C/g)];
    expect(lines.length).toBeGreaterThan(0);
    const readings = lines.reduce((sum, [, count]) => sum + Number(count), 0);
    const weighted = lines.reduce((sum, [, count, mean]) => sum + Number(count) * Number(mean), 0);
    expect(readings).toBe(5);
    expect(weighted / readings).toBeCloseTo(21, 2); // 20, 20.5, 21, 21.5, 22
  });
});
