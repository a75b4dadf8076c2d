import { pipelineProgress, type StageMetrics } from '../../src/parent/pool-metrics.js';
import { mergeDurations } from '../../src/shared/duration-stats.js';
import type { DurationStats } from '../../src/shared/metrics-types.js';

const counter = (total: number) => ({ total, rate1s: 0, rate10s: 0 });
const unit = (name: string, kind: 'producer' | 'consumer', done: number, total?: number) =>
  ({ name, kind, produced: counter(kind === 'producer' ? done : 0), consumed: counter(kind === 'consumer' ? done : 0), total }) as unknown as StageMetrics;

describe('pipelineProgress', () => {
  it("counts the source's items against its declared total, as the second stage consumed them", () => {
    const progress = pipelineProgress([[unit('source', 'producer', 100, 400)], [unit('parse', 'consumer', 40)], [unit('sum', 'consumer', 3)]], false);
    expect(progress).toEqual({
      stages: [
        { names: ['source'], done: 100 },
        { names: ['parse'], done: 40 },
        { names: ['sum'], done: 3 },
      ],
      total: 400,
      done: 40,
      fraction: 0.1,
      finished: false,
    });
  });

  it('adds up the sources, and takes the slowest of units side by side (each gets every item)', () => {
    const progress = pipelineProgress(
      [
        [unit('a', 'producer', 10, 50), unit('b', 'producer', 20, 50)],
        [unit('log', 'consumer', 30), unit('plot', 'consumer', 12)],
      ],
      false,
    );
    expect(progress.stages.map((stage) => stage.done)).toEqual([30, 12]);
    expect(progress.total).toBe(100);
    expect(progress.fraction).toBe(0.12);
  });

  it('has no total (nor fraction) while a source has not declared one', () => {
    const progress = pipelineProgress([[unit('a', 'producer', 10, 50), unit('b', 'producer', 20)], [unit('c', 'consumer', 5)]], false);
    expect(progress.total).toBeUndefined();
    expect(progress.fraction).toBeUndefined();
  });
});

describe('mergeDurations', () => {
  const stats = (count: number, mean: number, p99: number): DurationStats => ({ count, sum: count * mean, min: 1, mean, p50: mean, p90: p99, p99, max: p99 * 2 });

  it('adds counts and sums, and bounds each percentile by the highest of the parts', () => {
    expect(mergeDurations([stats(10, 2, 5), undefined, stats(30, 4, 3)])).toEqual({ count: 40, sum: 140, min: 1, mean: 3.5, p50: 4, p90: 5, p99: 5, max: 10 });
    expect(mergeDurations([undefined])).toBeUndefined();
  });
});
