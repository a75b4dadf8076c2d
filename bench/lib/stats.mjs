// Summaries of repeated measurements: median, min–max, percentiles.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summary(values) {
  const present = values.filter((value) => typeof value === 'number' && Number.isFinite(value));
  if (present.length === 0) return undefined;
  return { median: median(present), min: Math.min(...present), max: Math.max(...present), n: present.length };
}

/** Latency percentiles (ms) of nanosecond samples. */
export function percentiles(nanoseconds) {
  const sorted = Float64Array.from(nanoseconds).sort();
  const at = (fraction) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] / 1e6;
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), samples: sorted.length };
}
