import { setTimeout as sleep } from 'node:timers/promises';
import { ChildMetrics } from '../../src/child/metrics.js';

describe('ChildMetrics', () => {
  it('times every work call at a low rate, and an even sample of them flat out', () => {
    const metrics = new ChildMetrics(true, undefined);
    metrics.sample();
    metrics.workCalls += 900;
    metrics.sample();
    expect(metrics.timingMask).toBe(0); // every call
    metrics.workCalls += 100_000; // in one 250 ms tick: 400,000 a second
    metrics.sample();
    expect(metrics.timingMask).toBe(127); // one call in 128: ~780 timed per tick
    metrics.workCalls += 10;
    metrics.sample();
    expect(metrics.timingMask).toBe(0);
  });

  it('measures rates between its samples, over the time that passed', async () => {
    const metrics = new ChildMetrics(false, 7);
    metrics.sample();
    await sleep(100);
    metrics.produced += 1000;
    metrics.sample();
    const report = metrics.report();
    expect(report.produced.total).toBe(1000);
    // 1000 items over ~100 ms: at most 10,000 a second, and not much less on a busy machine. Timers have
    // millisecond granularity and may fire up to 1 ms early by performance.now() (seen: 99.66 ms).
    expect(report.produced.rate1s).toBeLessThanOrEqual(1000 / 0.099);
    expect(report.produced.rate1s).toBeGreaterThan(2_000);
    expect(report.consumed.rate1s).toBe(0);
    expect(report.total).toBe(7);
    expect(report.process).toBeUndefined(); // metrics off: no resource use
    expect(report.duration).toBeUndefined();
  });
});
