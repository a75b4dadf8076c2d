import { FrameLatency } from '../../src/queue/latency.js';

/** A stamp frame's body: `agoMs` before now, on the monotonic clock. */
function stampAgo(agoMs: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeBigUInt64BE(process.hrtime.bigint() - BigInt(Math.round(agoMs * 1e6)), 0);
  return body;
}

describe('FrameLatency', () => {
  it('records one latency per frame, when its last item is taken', () => {
    const latency = new FrameLatency();
    const writer = {};
    latency.stamp(writer, stampAgo(50));
    latency.entered(3, writer);
    latency.left(2, true);
    expect(latency.histogram.count).toBe(0); // the frame's last item is still queued
    latency.left(1, true);
    expect(latency.histogram.count).toBe(1);
    expect(latency.histogram.min / 1e6).toBeGreaterThanOrEqual(50);
    expect(latency.histogram.min / 1e6).toBeLessThan(1000);
  });

  it('records nothing for frames whose last item was dropped, nor for local puts', () => {
    const latency = new FrameLatency();
    const writer = {};
    latency.stamp(writer, stampAgo(1));
    latency.entered(2, writer);
    latency.entered(5); // local puts: unstamped, merged into one entry
    latency.entered(1);
    latency.left(2, false); // the frame overflowed
    latency.left(6, true);
    expect(latency.histogram.count).toBe(0);
  });

  it("keeps each writer's stamp for that writer's next frame", () => {
    const latency = new FrameLatency();
    const [a, b] = [{}, {}];
    latency.stamp(a, stampAgo(200));
    latency.stamp(b, stampAgo(10));
    latency.entered(1, b);
    latency.entered(1, a);
    latency.left(1, true);
    expect(latency.histogram.max / 1e6).toBeLessThan(200); // b's frame, taken first, carries b's stamp
    latency.left(1, true);
    expect(latency.histogram.max / 1e6).toBeGreaterThanOrEqual(200);
    expect(latency.histogram.count).toBe(2);
  });

  it('takes many frames at once, and forgets the frames it passed', () => {
    const latency = new FrameLatency();
    const writer = {};
    for (let frame = 0; frame < 5000; frame++) {
      latency.stamp(writer, stampAgo(0));
      latency.entered(2, writer);
    }
    latency.left(10_000, true);
    expect(latency.histogram.count).toBe(5000);
  });
});
