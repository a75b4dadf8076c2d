import { execa, execaNode } from 'execa';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const example = (name: string) => fileURLToPath(new URL(`../examples/seeds/${name}`, import.meta.url));

async function run(name: string): Promise<string[]> {
  return (await runBoth(name)).stdout;
}

/** stdout's lines, and stderr's (where the examples show progress). */
async function runBoth(name: string): Promise<{ stdout: string[]; stderr: string[] }> {
  const result = await execaNode(example(name), [], { reject: false, timeout: 30_000 });
  expect(result.exitCode).toBe(0);
  const lines = (text: unknown) => String(text).split('\n').filter(Boolean);
  return { stdout: lines(result.stdout), stderr: lines(result.stderr) };
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

  it("proconex's square converter yields 0 1 4 9 16, and its progress in plain lines when not in a terminal", async () => {
    const { stdout, stderr } = await runBoth('proconex-squares.mjs');
    expect(stdout).toEqual(['0', '1', '4', '9', '16']);
    expect(stderr.at(-1)).toBe('squares: 5/5 (100%), finished');
    expect(stderr.every((line) => /^squares: \d+(\/5 \(\d+%\))?(, finished)?$/.test(line))).toBe(true);
  });

  it('shows a progress bar (cli-progress) in a terminal', async () => {
    // `script` (util-linux) runs the example on a pseudo-terminal: stderr is a TTY there.
    const result = await execa('script', ['-qec', `node ${example('proconex-lines.mjs')}`, '/dev/null'], { reject: false, timeout: 30_000 });
    expect(result.exitCode).toBe(0);
    const total = readFileSync(example('proconex-lines.mjs'), 'utf8').split('\n').length;
    expect(result.stdout).toMatch(new RegExp(`lines \\[[█░]+\\] ${total}/${total} 100%`));
    expect(result.stdout).not.toMatch(/lines: \d+\//); // no plain lines on a terminal
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
