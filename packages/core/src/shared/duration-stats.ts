import type { RecordableHistogram } from 'node:perf_hooks';
import type { DurationStats } from './report-types.js';

/** A histogram of nanoseconds as DurationStats in milliseconds (undefined while empty). */
export function durationStats(histogram: RecordableHistogram): DurationStats | undefined {
  const count = histogram.count;
  if (count === 0) return undefined;
  const ms = (ns: number) => roundMetric(ns / 1e6);
  return {
    count,
    sum: ms(histogram.mean * count),
    min: ms(histogram.min),
    mean: ms(histogram.mean),
    p50: ms(histogram.percentile(50)),
    p90: ms(histogram.percentile(90)),
    p99: ms(histogram.percentile(99)),
    max: ms(histogram.max),
  };
}

/**
 * Several distributions as one: counts and sums added, min and max kept, and
 * each percentile the highest of theirs. That is an upper bound of the
 * percentile of the whole (a mixture's quantile never exceeds the largest of
 * its parts'), which is what can be said without the raw samples.
 */
export function mergeDurations(parts: Array<DurationStats | undefined>): DurationStats | undefined {
  const present = parts.filter((part): part is DurationStats => part !== undefined);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  const count = present.reduce((total, part) => total + part.count, 0);
  const sum = present.reduce((total, part) => total + part.sum, 0);
  const highest = (key: 'p50' | 'p90' | 'p99' | 'max') => Math.max(...present.map((part) => part[key]));
  return {
    count,
    sum: roundMetric(sum),
    min: Math.min(...present.map((part) => part.min)),
    mean: roundMetric(count > 0 ? sum / count : 0),
    p50: highest('p50'),
    p90: highest('p90'),
    p99: highest('p99'),
    max: highest('max'),
  };
}

/** Four decimals are plenty, and keep unchanged reports identical. */
export function roundMetric(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
