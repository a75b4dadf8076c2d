// A simulated 1 kHz sensor into a lossy consumer that summarises every 100 ms.
// Run: node examples/sensor.mjs [seconds]   (default 2; watch it: npx prodcon-dashboard examples/sensor.mjs 60)
import { Consumer, Producer, isMainProcess } from '@prodcon/core';

export class Sensor extends Producer {
  static moduleUrl = import.meta.url;

  static onStart() {
    return { started: performance.now() };
  }

  // Called every millisecond (workTimeout: 1), on a drift-free schedule.
  static work(ctx) {
    const t = (performance.now() - ctx.startResult.started) / 1000;
    return { t, value: Math.sin(2 * Math.PI * t) + (Math.random() - 0.5) * 0.1 };
  }
}

export class Summary extends Consumer {
  static moduleUrl = import.meta.url;

  // Every 100 ms (workTimeout), whatever arrived since the last summary.
  static work(samples) {
    const values = samples.map((sample) => sample.value);
    return {
      count: samples.length,
      min: Math.min(...values),
      max: Math.max(...values),
      mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    };
  }
}

if (isMainProcess()) {
  // Lossy: if the summary ever falls behind, the oldest samples are dropped (and counted), the sensor never waits.
  const summary = new Summary({ workTimeout: 100, maxBufferSize: 10_000, lossy: true, queueSize: 2_000 });
  const sensor = new Sensor({ workTimeout: 1, subscribers: [summary.getWorkQueue()] });
  summary.on('result', ({ count, min, max, mean }) =>
    console.log(`${count} samples  min ${min.toFixed(3)}  max ${max.toFixed(3)}  mean ${mean.toFixed(3)}`),
  );
  await summary.start();
  await sensor.start();
  const seconds = Number(process.argv[2] ?? 2);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await sensor.stop();
  await summary.stopAtQueueEnd();
  console.log(`dropped: ${summary.getWorkQueue().dropped}`);
}
