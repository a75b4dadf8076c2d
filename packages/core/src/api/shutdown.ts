import { registered } from '../parent/registry.js';
import { setShutdownActions } from '../parent/signals.js';
import { Consumer } from './consumer.js';
import type { ConsumerPool } from './consumer-pool.js';
import type { Worker } from './worker.js';

/*
 * What a SIGINT or SIGTERM does to an application that does not handle it
 * itself (see parent/signals.ts): every unit of the process stops in the order
 * of its data, so that nothing a lossless queue accepted is lost. Producers
 * stop at once (their current work finishes); a consumer or a pool drains
 * once every worker writing into its queue has stopped, then stops. Each
 * drain gets the worker's stopTimeout, then it is stopped (and, after
 * another stopTimeout, killed).
 */

type Unit = Worker<any, any, any> | ConsumerPool<any, any, any>;

/** Stops every running worker and pool of this process gracefully, upstream first. */
async function stopAll(): Promise<void> {
  const pools = registered<ConsumerPool<any, any, any>>('pool');
  const members = new Set<object>(pools.flatMap((pool) => pool.members));
  const workers = registered<Worker<any, any, any>>('worker').filter((worker) => !members.has(worker));
  await Promise.all([...pools, ...workers].map((unit) => stopInOrder(unit).catch(() => {})));
}

async function stopInOrder(unit: Unit): Promise<void> {
  if (!('members' in unit) && !(unit instanceof Consumer)) return unit.stop();
  await upstreamsStopped(unit.getWorkQueue().upstreams as Set<Worker<any, any, any>>);
  const timeout = 'members' in unit ? Math.max(...unit.members.map((member) => member.stopTimeout)) : unit.stopTimeout;
  const drained = 'members' in unit ? unit.join() : unit.stopAtQueueEnd();
  if (!(await within(drained, timeout))) await unit.stop();
}

/** Resolves once every worker in `upstreams` is stopped. */
async function upstreamsStopped(upstreams: Set<Worker<any, any, any>>): Promise<void> {
  for (const upstream of upstreams) {
    while (upstream.status !== 'stopped') {
      await new Promise<void>((resolve) => upstream.once('state', () => resolve()));
    }
  }
}

/** Whether `promise` settled within `ms` (a rejection counts: the unit is stopped either way). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true, () => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Kills every child of this process now (a second signal). */
function killAll(): void {
  for (const worker of registered<Worker<any, any, any>>('worker')) worker.killNow();
}

setShutdownActions({ stopAll, killAll });
