// Peers on the sockets are verified, not trusted; a busy or flooded host is waited for, not taken for gone.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectUnix, frameHeader } from '@prodcon/ipc';
import { Counter } from './fixtures/workers.mjs';
import { Sorter } from './fixtures/peer-workers.mjs';
import { collect, eventually, nextEvent } from './helpers/events.js';
import { rssBytes } from './helpers/processes.js';
import { backlogFull, fillBacklog, queueAddress, rawWriter } from './helpers/raw-peer.js';

type Totals = { numbers: number; others: number };
const MB = 1024 * 1024;

describe('a consumer whose socket is flooded while it is busy', () => {
  it('is reached by a producer that started in that window: it retries, and every item arrives', async () => {
    const consumer = new Sorter({ queueSize: 1000 });
    const totals = collect<Totals>(consumer, 'result');
    await consumer.start();
    const address = queueAddress(consumer.getWorkQueue()).address;
    const marker = join(mkdtempSync(join(tmpdir(), 'prodcon-test-')), 'blocked');
    const unblocked = consumer.sendMessage({ blockMs: 3000, marker });
    await eventually(() => existsSync(marker), 'the consumer blocks its event loop');
    const flood = await fillBacklog(address);

    const producer = new Counter({ args: { stopAt: 20_000 }, subscribers: [consumer.getWorkQueue()] });
    const errors = collect<Error>(producer, 'error');
    await producer.start();
    expect(await backlogFull(address)).toBe(true); // the producer's first attempts met a full backlog too
    await nextEvent(producer, 'state', (state) => state === 'stopped');
    await eventually(() => (totals.at(-1)?.numbers ?? 0) >= 20_000, 'every item consumed', 20_000);
    expect(totals.at(-1)).toEqual({ numbers: 20_000, others: 0 });
    expect(consumer.getWorkQueue().dropped).toBe(0);
    expect(errors).toEqual([]);
    void unblocked;
    for (const socket of flood) socket.destroy();
    await consumer.stop();
  });
});

describe('a consumer that stays unreachable', () => {
  it("fails the producer that cannot reach it, after the producer's connectTimeout, with ERR_QUEUE_UNREACHABLE", async () => {
    const consumer = new Sorter({ queueSize: 1000 });
    await consumer.start();
    const address = queueAddress(consumer.getWorkQueue()).address;
    const marker = join(mkdtempSync(join(tmpdir(), 'prodcon-test-')), 'blocked');
    const unblocked = consumer.sendMessage({ blockMs: 4000, marker });
    await eventually(() => existsSync(marker), 'the consumer blocks its event loop');
    const flood = await fillBacklog(address);

    const producer = new Counter({ connectTimeout: 2000, subscribers: [consumer.getWorkQueue()] });
    const failed = nextEvent<Error & { code: string; cause?: { code?: string; message: string } }>(producer, 'error');
    const started = Date.now();
    await producer.start();
    const error = await failed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(error.code).toBe('ERR_WORKER_FAILED');
    expect(error.cause?.code).toBe('ERR_QUEUE_UNREACHABLE');
    expect(error.message).toMatch(/refused every connection for 2000 ms/);
    void unblocked;
    for (const socket of flood) socket.destroy();
    await producer.stop();
    await consumer.stop();
  });
});

describe('a writer that ignores its credits', () => {
  it('is disconnected; its excess is dropped and counted; the host stays small and honest writers lose nothing', async () => {
    const consumer = new Sorter({ queueSize: 10_000, maxBufferSize: 1000 });
    const totals = collect<Totals>(consumer, 'result');
    await consumer.start();
    const queue = consumer.getWorkQueue();
    const producer = new Counter({ args: { stopAt: 50_000 }, subscribers: [queue] });
    await producer.start();
    const rssBefore = rssBytes(consumer.pid!);

    const rogue = await rawWriter(queueAddress(queue).address, queueAddress(queue).queueId);
    await eventually(() => rogue.frames.length > 0, 'the host answered the rogue');
    let sent = 0;
    while (sent < 2_000_000 && !rogue.connection.closed) {
      rogue.sendItems(Array.from({ length: 10_000 }, () => 'x'));
      sent += 10_000;
      await rogue.connection.drained();
      await new Promise((resolve) => setImmediate(resolve)); // let the host's answer (its close) in
    }
    await rogue.connection.whenClosed();
    await nextEvent(producer, 'state', (state) => state === 'stopped');
    await eventually(() => (totals.at(-1)?.numbers ?? 0) >= 50_000, 'every honest item consumed', 20_000);
    expect(totals.at(-1)!.numbers).toBe(50_000);
    expect(totals.at(-1)!.others).toBeLessThanOrEqual(10_000); // at most what it was ever granted
    expect(sent).toBeLessThan(2_000_000); // cut off long before the end of its flood
    await eventually(() => queue.drops.refused > 0, "the host's count of the excess reported");
    expect(rssBytes(consumer.pid!) - rssBefore).toBeLessThan(40 * MB);
    await consumer.stop();
  });
});

describe('connections that never complete their handshake', () => {
  it('cannot make the host buffer their bytes: each is closed as soon as it announces a large first frame', async () => {
    const consumer = new Sorter({ queueSize: 1000 });
    await consumer.start();
    const address = queueAddress(consumer.getWorkQueue()).address;
    const rssBefore = rssBytes(consumer.pid!);
    const junk = Buffer.alloc(MB, 0x61);
    const results = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const socket = connectUnix(address);
        socket.on('error', () => {});
        const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        socket.write(frameHeader(0x01, 60 * MB));
        let written = 0;
        while (written < 60 * MB && !socket.destroyed) {
          if (!socket.write(junk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
          written += MB;
        }
        await closed;
        return written;
      }),
    );
    for (const written of results) expect(written).toBeLessThan(60 * MB);
    expect(rssBytes(consumer.pid!) - rssBefore).toBeLessThan(30 * MB);
    await consumer.stop();
  });
});
