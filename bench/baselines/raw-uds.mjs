// Baseline: the ceiling. Two plain child processes, one Unix socket between
// them, one length-prefixed frame per batch of items encoded with one codec
// call (the same codec functions prodcon uses). No framework at all.
//
//   node raw-uds.mjs consumer <socket> <size> <codec>
//   node raw-uds.mjs producer <socket> <size> <codec> [batch]        flat out
//   node raw-uds.mjs producer <socket> <size> <codec> paced <rate>   latency: due items each 1 ms tick, one write
import { createConnection, createServer } from 'node:net';
import { chooseCodec, decodeBatch, encodeBatch, inspectValues, loadSuperjson, payloadBytes } from '@prodcon/ipc';
import { makeItem } from '../lib/items.mjs';

const [role, path, size, codec, mode, rateArg] = process.argv.slice(2);
await loadSuperjson();
process.on('message', (message) => {
  if (message === 'exit') process.exit(0);
});

if (role === 'consumer') {
  let count = 0;
  const latencies = [];
  const server = createServer((socket) => {
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      const now = Number(process.hrtime.bigint());
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let offset = 0;
      while (pending.length - offset >= 4) {
        const length = pending.readUInt32BE(offset);
        if (pending.length - offset - 4 < length) break;
        const body = pending.subarray(offset + 4, offset + 4 + length);
        const items = decodeBatch(body[0], body.subarray(1));
        count += items.length;
        if (latencies.length < 1e6) for (const item of items) latencies.push(now - item.t);
        offset += 4 + length;
      }
      pending = pending.subarray(offset);
    });
  });
  server.listen(path, () => process.send({ ready: true }));
  process.on('message', (message) => {
    if (message === 'count') process.send({ count });
    if (message === 'latencies') process.send({ count, latencies });
  });
} else {
  const socket = createConnection(path);
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  let seq = 0;
  const codecId = chooseCodec(codec, inspectValues([makeItem(size, 0)]), 1);
  const send = (items) => {
    const { bytes } = encodeBatch(items, codecId);
    const header = Buffer.allocUnsafe(5);
    header.writeUInt32BE(payloadBytes(bytes) + 1, 0);
    header[4] = codecId;
    socket.cork();
    socket.write(header);
    const ok = socket.write(bytes);
    socket.uncork();
    return ok;
  };
  if (mode === 'paced') {
    const rate = Number(rateArg);
    const started = performance.now();
    const tick = () => {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      const items = [];
      while (seq < due) items.push(makeItem(size, seq++));
      if (items.length) send(items);
      setTimeout(tick, 1);
    };
    tick();
  } else {
    const batch = Number(mode ?? (size === '64k' ? 1 : 128));
    const pump = () => {
      // Yield now and then even when the socket keeps up, or 'exit' would never be read.
      const sliceEnd = performance.now() + 5;
      for (;;) {
        const items = new Array(batch);
        for (let index = 0; index < batch; index++) items[index] = makeItem(size, seq++);
        if (!send(items)) return socket.once('drain', pump);
        if (performance.now() > sliceEnd) return setImmediate(pump);
      }
    };
    pump();
  }
}
