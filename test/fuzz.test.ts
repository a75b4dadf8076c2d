// Random and mutated frames into a live queue host (a consumer's socket) and a live link server (the main
// process's socket), while a legitimate stream flows through both: it must lose nothing. Seeded: set
// PRODCON_FUZZ_SEED to replay a run.
import { dirname, join } from 'node:path';
import { CodecId, QueueFrame, encodeBatch, encodeFrame, transportStats } from '@prodcon/ipc';
import { SeqCheck, Tagged } from './fixtures/peer-workers.mjs';
import { collect, eventually } from './helpers/events.js';
import { fuzzCase, prng, sendAndClose } from './helpers/fuzz.js';
import { queueAddress } from './helpers/raw-peer.js';

const SEED = Number(process.env.PRODCON_FUZZ_SEED ?? 20261201);
const FUZZ_MS = 3000;
const CONCURRENT = 8;
type Seen = { legit: number; disorder: number; others: number };

const json = (type: number, message: unknown) => encodeFrame(type, Buffer.from(JSON.stringify(message)));
const items = (codec: number, values: unknown[]) => {
  const { bytes } = encodeBatch(values, codec as typeof CodecId.json, 'item');
  return encodeFrame(QueueFrame.items, Buffer.concat([Buffer.from([codec]), Buffer.from(bytes)]));
};

describe(`fuzzing the sockets (seed ${SEED})`, () => {
  it('leaves the legitimate stream whole: every item once, in order, and both processes running', async () => {
    const consumer = new SeqCheck({ queueSize: 1000 });
    const seen = collect<Seen>(consumer, 'result');
    const consumerErrors = collect<Error>(consumer, 'error');
    await consumer.start();
    const producer = new Tagged({ subscribers: [consumer.getWorkQueue()] });
    const producerErrors = collect<Error>(producer, 'error');
    const reports = collect<{ produced: number }>(producer, 'message');
    const { address, queueId } = queueAddress(consumer.getWorkQueue());
    const linkServer = join(dirname(address), 'main.sock'); // the main process's socket, beside its consumers' (see Hub)

    const fuzzValues = Array.from({ length: 20 }, (_, seq) => ({ tag: 'fuzz', seq }));
    const targets = [
      {
        address,
        first: json(QueueFrame.open, { queueId, writer: 'fuzzer', lossy: false }),
        frames: [items(CodecId.json, fuzzValues), items(CodecId.v8, fuzzValues), encodeFrame(QueueFrame.end), json(QueueFrame.returned, { credits: 5 })],
      },
      {
        address: linkServer,
        first: json(0x20, { token: 'f'.repeat(32), pid: 1 }), // a hello with a token nobody issued
        frames: [json(0x21, { type: 'stopped' }), encodeFrame(0x23, Buffer.from([CodecId.json, 0x5b, 0x5d]))],
      },
    ];

    const random = prng(SEED);
    const badFramesBefore = transportStats.badFrames + transportStats.protocolErrors;
    let cases = 0;
    const deadline = Date.now() + FUZZ_MS;
    const fuzzer = async () => {
      while (Date.now() < deadline) {
        const target = targets[Math.floor(random() * targets.length)]!;
        await sendAndClose(target.address, fuzzCase(random, target.first, target.frames), Math.floor(random() * 20));
        cases++;
      }
    };
    await producer.start();
    await Promise.all(Array.from({ length: CONCURRENT }, fuzzer));

    await producer.stop();
    const produced = reports[0]!.produced;
    await eventually(() => (seen.at(-1)?.legit ?? 0) >= produced, 'every legitimate item consumed', 20_000);
    expect(cases).toBeGreaterThan(100);
    expect(produced).toBeGreaterThan(10_000); // the stream flowed through the fuzzing
    expect(transportStats.badFrames + transportStats.protocolErrors).toBeGreaterThan(badFramesBefore); // the link server was hit
    expect(seen.at(-1)!.legit).toBe(produced);
    expect(seen.at(-1)!.disorder).toBe(0);
    expect(producerErrors).toEqual([]);
    expect(consumerErrors).toEqual([]);
    expect(consumer.getState()).toBe('started');
    expect(consumer.getWorkQueue().drops.lost).toBe(0);
    await consumer.stop();
  });
});
