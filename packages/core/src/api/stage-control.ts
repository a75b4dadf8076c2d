import { ConsumerPool } from './consumer-pool.js';
import type { Consumer } from './consumer.js';
import type { StageUnit } from './stages.js';

/*
 * What a pipeline does to its stages' units: stop one, drain one, wait for
 * one to finish, and the order of a stop after a failure.
 */

/** Stops a unit (its current work finishes, what its queue holds is dropped and counted); never rejects. */
export async function stopUnit(unit: StageUnit): Promise<void> {
  await unit.stop().catch(() => {});
}

/** Drains a unit (everything its queue accepted is consumed), then it stops; never rejects. */
export async function drainUnit(unit: StageUnit): Promise<void> {
  // A pool that never started is closed, not joined (join() would start it to let each member run once).
  if (unit instanceof ConsumerPool) await (unit.getState() === 'idle' ? Promise.resolve(unit.close()) : unit.join().catch(() => {}));
  else await (unit as Consumer).stopAtQueueEnd().catch(() => {});
}

/**
 * After a failure in stage `failed`: the stages upstream of it and the failed
 * stage's own units stop, and each stage downstream drains once the stage
 * before it has stopped (its writers then flushed and ended, so that nothing
 * is refused), so that what lossless queues accepted is consumed. With
 * `failFast`, or when the failed stage is not known (a start() that failed),
 * every unit stops at once. Resolves once every unit stopped.
 */
export async function stopAfterFailure(stages: StageUnit[][], failed: number | undefined, failFast: boolean): Promise<void> {
  if (failFast || failed === undefined) {
    await Promise.all(stages.flat().map((unit) => stopUnit(unit)));
    return;
  }
  const upstream = Promise.all(stages.slice(0, failed).flat().map((unit) => stopUnit(unit)));
  await Promise.all(stages[failed].map((unit) => stopUnit(unit)));
  for (const stage of stages.slice(failed + 1)) await Promise.all(stage.map((unit) => drainUnit(unit)));
  await upstream;
}

/** Resolves once the unit has run and stopped. */
export function whenFinished(unit: StageUnit): Promise<void> {
  if (unit instanceof ConsumerPool) {
    return new Promise((resolve) => {
      const check = (state: string) => {
        if (state === 'stopped' || state === 'failed') {
          unit.off('state', check);
          resolve();
        }
      };
      if (unit.getState() === 'stopped' || unit.getState() === 'failed') resolve();
      else unit.on('state', check);
    });
  }
  return new Promise((resolve) => {
    if (unit.getState() === 'stopped' && unit.finishedRuns > 0) return resolve();
    const check = (state: string) => {
      if (state === 'stopped') {
        unit.off('state', check);
        resolve();
      }
    };
    unit.on('state', check);
  });
}
