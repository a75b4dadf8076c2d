// What a process used, read from /proc (Linux): the benchmark's CPU and memory figures.
import { readFileSync } from 'node:fs';

/**
 * CPU seconds a process has run. /proc/<pid>/schedstat counts in nanoseconds; /proc/<pid>/stat only in
 * 10 ms ticks (too coarse for a job of a second), so it is the fallback.
 */
export function cpuSeconds(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
  } catch {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }
}

/** Resident memory of a process, MB. */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
}

/**
 * Starts a CPU meter over this process and `pids`: `stop()` returns the CPU seconds each used since
 * (this process from process.cpuUsage, the others from /proc).
 */
export function cpuMeter(pids) {
  const self = process.cpuUsage();
  const before = pids.map(cpuSeconds);
  return {
    stop() {
      const used = process.cpuUsage(self);
      return {
        main: (used.user + used.system) / 1e6,
        others: pids.map((pid, index) => cpuSeconds(pid) - before[index]),
      };
    },
  };
}
