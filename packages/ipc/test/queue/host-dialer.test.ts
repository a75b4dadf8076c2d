import { ConnectError, QueueHost, QueueRouter, QueueWriter, createPrivateSocketDir, putWhenWritable, socketPath } from '../../src/index.js';
import { until } from '../helpers.js';

function writerTo(address: string, options: { lossy?: boolean; connectRetryMs?: number; onUnreachable?: (error: ConnectError) => void } = {}) {
  const writer = new QueueWriter({ queueId: 'q1', lossy: false, capacity: 1000, writerName: 'w', ...options });
  writer.bind(address);
  return writer;
}

describe('a writer whose host refuses it', () => {
  it('retries while nobody listens yet, then delivers everything in order once the host answers', async () => {
    const address = socketPath(createPrivateSocketDir('prodcon-test-'), 'late');
    const writer = writerTo(address);
    const putting = Promise.all(Array.from({ length: 500 }, (_, index) => putWhenWritable(writer, index)));
    await until(() => writer.connectFailures >= 3, 'a few refused attempts');
    expect(writer.state).toBe('connecting'); // not 'gone': a host not there yet is waited for

    const host = new QueueHost({ queueId: 'q1', name: 'late queue', capacity: 1000, lossy: false });
    const router = new QueueRouter();
    router.add(host);
    const server = await router.listen(address, 'late queue');
    expect(await putting).toEqual(Array.from({ length: 500 }, () => true));
    await until(() => host.size === 500, 'every item arrived');
    expect(host.take(500)).toEqual(Array.from({ length: 500 }, (_, index) => index));
    expect(writer.connectFailures).toBe(0);
    expect(writer.drops.lost).toBe(0);
    host.shutdown();
    await writer.end();
    await server.close();
  });

  it('gives up after connectRetryMs: the owner hears ERR_QUEUE_UNREACHABLE, and what it held counts as lost', async () => {
    const address = socketPath(createPrivateSocketDir('prodcon-test-'), 'never');
    let failure: ConnectError | undefined;
    const writer = writerTo(address, { lossy: true, connectRetryMs: 200, onUnreachable: (error) => (failure = error) });
    for (let index = 0; index < 10; index++) expect(writer.tryPut(index)).toBe('sent'); // lossy: kept while connecting
    const started = Date.now();
    await until(() => failure !== undefined, 'the writer gave up', 1_000_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(failure).toBeInstanceOf(ConnectError);
    expect(failure!.code).toBe('ERR_QUEUE_UNREACHABLE');
    expect(failure!.message).toMatch(/writer w → queue q1: the queue's host refused every connection for 200 ms \(\d+ attempts, last: ENOENT\)/);
    expect(writer.state).toBe('gone');
    expect(writer.drops.lost).toBe(10);
    expect(writer.tryPut(10)).toBe('refused');
    await writer.end();
  });

  it('ends at once when it holds nothing for a host that has not answered', async () => {
    const writer = writerTo(socketPath(createPrivateSocketDir('prodcon-test-'), 'nobody'));
    await until(() => writer.connectFailures >= 1, 'a refused attempt');
    const started = Date.now();
    await writer.end();
    expect(Date.now() - started).toBeLessThan(1000); // not the 30 s of retries
    expect(writer.state).toBe('ended');
  });
});
