// The pool job, the same for every peer: `count` small items made in the main process before the clock
// starts, each answered by a worker with one result (its seq) that comes back to the main process. The
// job is over when every result is back; the sum of the seqs proves none was lost or doubled.
import { makeItem } from './items.mjs';
import { cpuMeter } from './proc.mjs';

export function jobItems(count) {
  return Array.from({ length: count }, (_, seq) => makeItem('small', seq));
}

/**
 * Counts results (arrays of seqs) as they come. `done` resolves when all `count` are back.
 */
export function resultCounter(count) {
  let resolveDone;
  const done = new Promise((resolve) => (resolveDone = resolve));
  const state = {
    received: 0,
    seqSum: 0,
    done,
    add(results) {
      state.received += results.length;
      for (const seq of results) state.seqSum += seq;
      if (state.received >= count) resolveDone();
    },
  };
  return state;
}

/**
 * Runs `submit()` (which puts every item) with the clock and the CPU meters running until every result is
 * back or `limitMs` passed; returns the job's figures. `pids`: the worker processes (none for threads,
 * whose CPU this process counts).
 */
export async function timeJob({ count, counter, pids, submit, limitMs }) {
  const meter = cpuMeter(pids);
  const windowStart = process.hrtime.bigint();
  const started = performance.now();
  let timer;
  const limit = new Promise((resolve) => (timer = setTimeout(() => resolve('limit'), limitMs)));
  const submitted = submit();
  const outcome = await Promise.race([Promise.all([counter.done, submitted]), limit]);
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  // On the monotonic clock of V8's CPU profiles: bench/profile.mjs keeps the samples of this window.
  const windowUs = [Number(windowStart / 1000n), Number(process.hrtime.bigint() / 1000n)];
  const cpu = meter.stop();
  const workersCpu = cpu.others.reduce((sum, value) => sum + value, 0);
  const expectedSum = (count * (count - 1)) / 2;
  const incomplete = outcome === 'limit';
  if (!incomplete && counter.seqSum !== expectedSum) throw new Error(`results lost or doubled: seq sum ${counter.seqSum}, expected ${expectedSum}`);
  const perItem = (value) => (value / Math.max(1, counter.received)) * 1e6;
  return {
    rate: counter.received / seconds,
    seconds,
    received: counter.received,
    incomplete,
    windowUs,
    cpuPerItem: perItem(cpu.main + workersCpu),
    cpuMainPerItem: perItem(cpu.main),
    cpuWorkersPerItem: perItem(workersCpu),
  };
}
