import type { ConsumerOptions } from '@prodcon/core';
import { Counter, Gate } from '../fixtures/workers.mjs';
import { collect, nextEvent } from './events.js';

/**
 * The setup of the back-pressure tests: a Gate consumer stalled in its first
 * `work` call (until it is let go), and a Counter producer of `count` items
 * writing into its queue, both started. `release()` lets the consumer go and
 * resolves once the producer stopped and the consumer drained its queue.
 */
export async function stalledConsumer(consumerOptions: ConsumerOptions, count: number) {
  const consumer = new Gate(consumerOptions);
  const producer = new Counter({ subscribers: [consumer.getWorkQueue()], args: { stopAt: count } });
  const produced = collect<number>(producer, 'result');
  const batches = collect<number[]>(consumer, 'result');
  const blocked = nextEvent(consumer, 'message');
  await consumer.start();
  await producer.start();
  await blocked;
  const release = async () => {
    const producerDone = nextEvent(producer, 'state', (state) => state === 'stopped');
    consumer.sendMessage('go');
    await producerDone;
    await consumer.stopAtQueueEnd();
  };
  return { consumer, produced, batches, release };
}
