// The benchmark harness's own promises (bench/lib): peers measured in alternated rounds that rotate who
// goes first, ratios taken within a round (the median of per-round ratios, not a ratio of medians), a
// failed or cut-short round reported, and children started without NODE_EXTRA_CA_CERTS unless asked.
import { describe, expect, it } from '@jest/globals';
import { childEnv } from '../bench/lib/fresh.mjs';
import { runComparison } from '../bench/lib/rounds.mjs';
import { markdownTable } from '../bench/lib/table.mjs';

type Figures = Record<string, number | boolean | string>;

function fakeMeasure(values: Record<string, Figures[]>) {
  const calls: string[] = [];
  const next: Record<string, number> = {};
  const measure = async (kind: string): Promise<Figures> => {
    calls.push(kind);
    const index = next[kind] ?? 0;
    next[kind] = index + 1;
    return values[kind][index];
  };
  return { calls, measure };
}

const quiet = { env: {}, log: () => {} };

describe('bench harness', () => {
  it('alternates the peers in rounds, each round starting one peer later', async () => {
    const { calls, measure } = fakeMeasure({ a: [{ rate: 1 }, { rate: 1 }, { rate: 1 }], b: [{ rate: 1 }, { rate: 1 }, { rate: 1 }], c: [{ rate: 1 }, { rate: 1 }, { rate: 1 }] });
    const peers = ['a', 'b', 'c'].map((id) => ({ id, label: id, kind: id }));
    await runComparison({ section: 's', peers, rows: [{ peer: 'a', metric: 'rate', unit: 'items/s', baseline: 'b' }] }, { ...quiet, rounds: 3, measure });
    expect(calls).toEqual(['a', 'b', 'c', 'b', 'c', 'a', 'c', 'a', 'b']);
  });

  it('takes the ratio within each round and reports their median, with min–max', async () => {
    // Per round: 100/50 = 2, 300/100 = 3, 100/100 = 1. Medians alone would give 100/100 = 1.
    const { measure } = fakeMeasure({ p: [{ rate: 100 }, { rate: 300 }, { rate: 100 }], base: [{ rate: 50 }, { rate: 100 }, { rate: 100 }] });
    const peers = [
      { id: 'p', label: 'prodcon', kind: 'p' },
      { id: 'base', label: 'baseline', kind: 'base' },
    ];
    const { rows } = await runComparison({ section: 's', peers, rows: [{ peer: 'p', metric: 'rate', unit: 'items/s', baseline: 'base' }] }, { ...quiet, rounds: 3, measure });
    expect(rows[0].value).toEqual({ median: 100, min: 100, max: 300, n: 3 });
    expect(rows[0].baseline).toEqual({ median: 100, min: 50, max: 100, n: 3 });
    expect(rows[0].ratio).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(markdownTable(rows)).toMatch(/\| 2\.00× \(1\.00–3\.00\) +\|/);
  });

  it('reports a difference per round when asked, not a ratio', async () => {
    // Per round: 0.2 − 0.1 = 0.1, 0.5 − 0.1 = 0.4, 0.1 − 0.2 = −0.1.
    const { measure } = fakeMeasure({ p: [{ p50: 0.2 }, { p50: 0.5 }, { p50: 0.1 }], base: [{ p50: 0.1 }, { p50: 0.1 }, { p50: 0.2 }] });
    const peers = [
      { id: 'p', label: 'prodcon', kind: 'p' },
      { id: 'base', label: 'raw', kind: 'base' },
    ];
    const rows = [{ peer: 'p', metric: 'p50', unit: 'ms', baseline: 'base', compare: 'difference' }];
    const result = await runComparison({ section: 's', peers, rows }, { ...quiet, rounds: 3, measure });
    expect(result.rows[0].ratio).toBeUndefined();
    expect(result.rows[0].difference?.median).toBeCloseTo(0.1);
    expect(result.rows[0].difference?.min).toBeCloseTo(-0.1);
    expect(markdownTable(result.rows)).toContain('+0.100 ms (−0.100 to +0.400)');
  });

  it('says when rounds failed, hit their time limit or warned; a failed round gives no figure', async () => {
    const { measure } = fakeMeasure({
      p: [{ rate: 100, warning: 'did not stop within 5000 ms' }, { error: 'exited (1) without a result' }, { rate: 50, incomplete: true }],
      base: [{ rate: 100 }, { rate: 100 }, { rate: 100 }],
    });
    const peers = [
      { id: 'p', label: 'prodcon', kind: 'p' },
      { id: 'base', label: 'baseline', kind: 'base' },
    ];
    const { rows } = await runComparison({ section: 's', peers, rows: [{ peer: 'p', metric: 'rate', unit: 'items/s', baseline: 'base' }] }, { ...quiet, rounds: 3, measure });
    expect(rows[0].value?.n).toBe(2);
    expect(rows[0].note).toContain('1/3 rounds hit the time limit');
    expect(rows[0].note).toContain('1/3 rounds failed: exited (1) without a result');
    expect(rows[0].note).toContain('1/3 rounds measured but warned: did not stop within 5000 ms');
  });

  it('starts children without NODE_EXTRA_CA_CERTS unless asked to keep it', () => {
    const saved = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = '/tmp/certificates.pem';
    try {
      expect(childEnv()).not.toHaveProperty('NODE_EXTRA_CA_CERTS');
      expect(childEnv({ keepCaCerts: true }).NODE_EXTRA_CA_CERTS).toBe('/tmp/certificates.pem');
    } finally {
      if (saved === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = saved;
    }
  });
});
