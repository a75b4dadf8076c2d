import { execaNode } from 'execa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const example = (name: string) => fileURLToPath(new URL(`../examples/seeds/${name}`, import.meta.url));

async function run(name: string): Promise<string[]> {
  const result = await execaNode(example(name), [], { reject: false, timeout: 30_000 });
  expect(result.exitCode).toBe(0);
  return String(result.stdout).split('\n').filter(Boolean);
}

/** Output lines without the worker-name prefix. */
const bare = (lines: string[]) => lines.map((line) => line.replace(/^\[[^\]]+\] /, ''));

describe('the seed examples, ported', () => {
  it("proconex's line reader: three consumers print every line of the file containing 'self', once", async () => {
    const lines = bare(await run('proconex-lines.mjs'));
    const source = readFileSync(example('proconex-lines.mjs'), 'utf8').split('\n');
    const expected = source.flatMap((line, index) => (line.includes('self') ? [`line ${index + 1}: ${line}`] : []));
    expect(lines.sort()).toEqual(expected.sort());
  });

  it("proconex's square converter yields 0 1 4 9 16", async () => {
    expect(await run('proconex-squares.mjs')).toEqual(['0', '1', '4', '9', '16']);
  });

  it("consumers' printer pool prints each number once, from several processes", async () => {
    const lines = bare(await run('consumers-printer.mjs'));
    expect(lines.map((line) => Number(line.split(' ')[1])).sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it("consumers' concatenation with quantity=2 gives one string per member, every letter once", async () => {
    const [printed] = await run('consumers-concatenate.mjs');
    const results = JSON.parse(printed!.replace(/'/g, '"')) as string[];
    expect(results).toHaveLength(2);
    expect(results.flatMap((joined) => joined.split('-')).filter(Boolean).sort()).toEqual([...'abcdef']);
  });

  it("consumers' args/kwargs configuration", async () => {
    expect(bare(await run('consumers-args.mjs'))).toEqual([
      'remote:80 0',
      'remote:80 1',
      'remote:80 2',
      'local:8123 0',
      'local:8123 1',
      'local:8123 2',
    ]);
  });

  it("consumers' cross-pool square sums into a logger pool, through a queue handle used in a child", async () => {
    const lines = bare(await run('consumers-cross-pool.mjs'));
    const totals = lines.filter((line) => line.startsWith('A consumer has finished with a total of'));
    expect(totals.length).toBe(4);
    expect(lines.at(-1)).toBe('sum of the totals: 41541750 (expected 41541750)');
  });
});
