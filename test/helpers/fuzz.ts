import { connectUnix, encodeFrame, frameHeader } from '@prodcon/ipc';

/** A small seeded PRNG (mulberry32): the same seed replays the same fuzz run. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (random: Random, below: number) => Math.floor(random() * below);
const bytes = (random: Random, length: number) => Buffer.from(Array.from({ length }, () => int(random, 256)));

/** Flips, overwrites, truncates or extends a buffer at random. */
function mutate(random: Random, buffer: Buffer): Buffer {
  const copy = Buffer.from(buffer);
  switch (int(random, 4)) {
    case 0:
      for (let flips = 1 + int(random, 4); flips > 0; flips--) copy[int(random, copy.length)] ^= 1 << int(random, 8);
      return copy;
    case 1:
      copy.writeUInt32BE(int(random, 2 ** 32), 0); // a lying length
      return copy;
    case 2:
      return copy.subarray(0, int(random, copy.length)); // a half frame
    default:
      return Buffer.concat([copy, bytes(random, 1 + int(random, 64))]); // trailing garbage
  }
}

/** What one fuzz case sends on a fresh connection: random bytes, random frames, or a valid first frame then mutated ones. */
export function fuzzCase(random: Random, firstFrame: Buffer, validFrames: Buffer[]): Buffer[] {
  switch (int(random, 5)) {
    case 0:
      return [bytes(random, 1 + int(random, 2000))];
    case 1:
      return Array.from({ length: 1 + int(random, 4) }, () => encodeFrame(int(random, 256), bytes(random, int(random, 300))));
    case 2:
      return [firstFrame, ...Array.from({ length: 1 + int(random, 4) }, () => mutate(random, validFrames[int(random, validFrames.length)]!))];
    case 3:
      return [mutate(random, firstFrame)];
    default:
      return [frameHeader(int(random, 256), 2 ** 31), bytes(random, int(random, 4096))]; // announces 2 GB
  }
}

/** Connects, writes `chunks`, lingers a moment, and closes; resolves once the socket closed, whoever closed it. */
export async function sendAndClose(address: string, chunks: Buffer[], lingerMs: number): Promise<void> {
  const socket = connectUnix(address);
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.once('connect', () => {
    for (const chunk of chunks) socket.write(chunk);
    setTimeout(() => socket.destroy(), lingerMs).unref();
  });
  await closed;
}
