import { createConnection } from 'node:net';
import { frameHeader, setTransportLogger, transportStats } from '../../src/index.js';
import { hostQueue, until } from '../helpers.js';

describe('a connection that receives a bad frame', () => {
  const warnings: string[] = [];
  beforeAll(() => setTransportLogger((message) => warnings.push(message)));
  afterAll(() => setTransportLogger((message) => process.stderr.write(`${message}\n`)));

  it.each([
    ['an oversized frame', () => frameHeader(1, 1024 * 1024 * 1024)],
    ['a zero-length frame', () => Buffer.from([0, 0, 0, 0])],
    ['an unknown first frame', () => Buffer.concat([frameHeader(0x7f, 3), Buffer.from('abc')])],
  ])('closes only that connection, counted and logged: %s', async (_label, garbage) => {
    const queue = await hostQueue({ capacity: 1_000 });
    const good = queue.writer('good');
    await until(() => good.state === 'ready', 'good writer ready');
    const before = transportStats.badFrames + transportStats.protocolErrors;
    const warningsBefore = warnings.length;

    const bad = createConnection(queue.address);
    const closed = new Promise<void>((resolve) => bad.on('close', () => resolve()));
    bad.on('error', () => {});
    bad.write(garbage());
    await closed;

    expect(transportStats.badFrames + transportStats.protocolErrors).toBe(before + 1);
    expect(warnings.length).toBe(warningsBefore + 1);
    expect(warnings.at(-1)).toMatch(/closing test queue connection/);
    // The other writer is untouched.
    expect(good.tryPut('still fine')).toBe('sent');
    await until(() => queue.host.size === 1, 'good item arrived');
    expect(queue.host.take(1)).toEqual(['still fine']);
    await queue.close();
  });

  it('closes a writer that sends undecodable items, and only it', async () => {
    const queue = await hostQueue({ capacity: 1_000 });
    const good = queue.writer('good');
    await until(() => good.state === 'ready', 'good writer ready');
    const before = transportStats.badFrames;
    const bad = createConnection(queue.address);
    bad.on('error', () => {});
    bad.resume(); // read (and ignore) the host's answer, so that its close is seen
    const closed = new Promise<void>((resolve) => bad.on('close', () => resolve()));
    const open = Buffer.from(JSON.stringify({ queueId: 'q1', writer: 'bad', lossy: false }));
    bad.write(Buffer.concat([frameHeader(0x01, open.length), open]));
    const junk = Buffer.from([1, ...Buffer.from('{not json')]); // codec 1 (JSON), body is not JSON
    bad.write(Buffer.concat([frameHeader(0x04, junk.length), junk]));
    await closed;
    expect(transportStats.badFrames).toBe(before + 1);
    expect(good.tryPut(42)).toBe('sent');
    await until(() => queue.host.size === 1, 'good item arrived');
    await queue.close();
  });
});
