// The round runner. A comparison is a set of peers (prodcon and what it is compared with) measured in
// alternated rounds, each measurement a fresh process: round 1 runs A B C, round 2 B C A, round 3 C A B…
// so that drift on a shared machine (load from elsewhere, thermal state) falls on every peer alike and no
// peer always goes first. A row reports a peer's median with min–max over the rounds and its ratio to a
// baseline as the median of the per-round ratios (each ratio taken between measurements of one round).
import { measureInFreshProcess } from './fresh.mjs';
import { summary } from './stats.mjs';
import { formatValue } from './table.mjs';

/** @typedef {{ median: number, min: number, max: number, n: number }} Summary */
/**
 * @typedef {{ section: string, measure: string, unit: string, value?: Summary, baselineName?: string,
 *   baseline?: Summary, ratio?: Summary, difference?: Summary, note?: string, rounds: object }} Row
 */

/**
 * @param {{ section: string, peers: { id: string, label: string, kind: string, options?: object, limitMs?: number }[],
 *   rows: { peer: string, metric: string, unit: string, baseline?: string, measure?: string, note?: string }[] }} comparison
 * @param {{ rounds: number, env: object, log: (line: string) => void, measure?: typeof measureInFreshProcess }} run
 *   `measure` runs one measurement (default: in a fresh process; the harness's tests pass their own)
 * @returns {Promise<{ rows: Row[], raw: object, seconds: number }>}
 */
export async function runComparison(comparison, { rounds, env, log, measure = measureInFreshProcess }) {
  const { peers } = comparison;
  const results = Object.fromEntries(peers.map((peer) => [peer.id, []]));
  const began = performance.now();
  log(`${comparison.section} (${peers.length} peers × ${rounds} rounds)`);
  for (let round = 0; round < rounds; round++) {
    const order = peers.map((_, index) => peers[(index + round) % peers.length]);
    for (const peer of order) {
      const result = await measure(peer.kind, peer.options ?? {}, { env, limitMs: peer.limitMs });
      results[peer.id][round] = result;
      log(`  round ${round + 1}: ${peer.label}: ${describe(comparison, peer.id, result)}`);
    }
  }
  const rows = comparison.rows.map((spec) => toRow(comparison, spec, results, rounds));
  const seconds = (performance.now() - began) / 1000;
  log(`  (${seconds.toFixed(0)} s)`);
  return { rows, raw: results, seconds };
}

function describe(comparison, peerId, result) {
  if (result.error) return `FAILED: ${result.error}`;
  const shown = new Map();
  for (const spec of comparison.rows) {
    if (spec.peer === peerId) shown.set(spec.metric, spec.unit);
    if (spec.baseline === peerId) shown.set(spec.baselineMetric ?? spec.metric, spec.unit);
  }
  const figures = [...shown].map(([metric, unit]) => `${metric} ${formatValue(result[metric], unit)}`).join(', ');
  return `${figures}${result.incomplete ? ' (cut at its time limit)' : ''}${result.warning ? ` (warning: ${result.warning})` : ''}`;
}

function toRow(comparison, spec, results, rounds) {
  const peer = comparison.peers.find((entry) => entry.id === spec.peer);
  const baselinePeer = spec.baseline && comparison.peers.find((entry) => entry.id === spec.baseline);
  const baselineMetric = spec.baselineMetric ?? spec.metric;
  const values = results[spec.peer].map((result) => result?.[spec.metric]);
  const baselines = baselinePeer ? results[baselinePeer.id].map((result) => result?.[baselineMetric]) : [];
  // Per round: the ratio to the baseline, or (compare: 'difference') the difference from it.
  const difference = spec.compare === 'difference';
  const compareRound = (value, base) => (difference ? value - base : base !== 0 ? value / base : undefined);
  const ratios = baselinePeer ? values.map((value, round) => (ok(value) && ok(baselines[round]) ? compareRound(value, baselines[round]) : undefined)) : [];
  const failures = results[spec.peer].filter((result) => result?.error).map((result) => result.error);
  const incomplete = results[spec.peer].filter((result) => result?.incomplete).length;
  const notes = [spec.note];
  if (incomplete) notes.push(`${incomplete}/${rounds} rounds hit the time limit: the rate of what completed`);
  const warnings = results[spec.peer].filter((result) => result?.warning).map((result) => result.warning);
  if (warnings.length) notes.push(`${warnings.length}/${rounds} rounds measured but warned: ${warnings[0]}`);
  if (failures.length) notes.push(`${failures.length}/${rounds} rounds failed: ${failures[0]}`);
  return {
    section: comparison.section,
    measure: spec.measure ?? peer.label,
    unit: spec.unit,
    value: summary(values),
    baselineName: baselinePeer ? (spec.baselineLabel ?? baselinePeer.label) : undefined,
    baseline: summary(baselines),
    ratio: difference ? undefined : summary(ratios),
    difference: difference ? summary(ratios) : undefined,
    note: notes.filter(Boolean).join('; ') || undefined,
    rounds: { values, baselines: baselinePeer ? baselines : undefined, ratios: baselinePeer ? ratios : undefined },
  };
}

function ok(value) {
  return typeof value === 'number' && Number.isFinite(value);
}
