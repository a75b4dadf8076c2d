import { ConsumerPool, Consumer, Producer, listUnits, onUnitCreated, type Pipeline, type ReadyQueue, type Worker } from '@prodcon/core';
import type { DashboardState, PipelineView, PoolView, QueueView, WorkerView } from './state.js';

/** Any worker, pool, pipeline or queue of the process. */
export type Unit = Worker<any, any, any, any, any> | ConsumerPool<any, any, any, any, any, any, any> | Pipeline<any> | ReadyQueue<any>;

const keepMetricsOn = () => {};

/**
 * The dashboard's view of the process: every unit prodcon's registry holds
 * (those created later included, with no registration call), each with an id
 * of its own. While it is open, every worker has a 'metrics' listener: that
 * is what turns on the timing of `work` and the children's memory and CPU.
 */
export class DashboardModel {
  #ids = new WeakMap<object, string>();
  #byId = new Map<string, WeakRef<Unit>>();
  #next = 1;
  #listened = new Set<Worker<any, any, any, any, any>>();
  #unwatch: () => void;

  constructor() {
    for (const worker of listUnits().workers) this.#listen(worker);
    // Units created later are in the registry (the next state shows them); workers among them get a listener.
    this.#unwatch = onUnitCreated(({ kind, unit }) => {
      if (kind === 'worker') this.#listen(unit);
    });
  }

  /** The unit with this id, if it is still alive. */
  find(id: string): Unit | undefined {
    return this.#byId.get(id)?.deref();
  }

  /** Everything, now. */
  state(): DashboardState {
    const units = listUnits();
    const poolOf = new Map<object, string>();
    const memberQueues = new Set<ReadyQueue<any>>();
    for (const pool of units.pools) {
      for (const member of pool.members) {
        poolOf.set(member, this.#id(pool));
        memberQueues.add(member.getWorkQueue());
      }
    }
    const workers: WorkerView[] = units.workers.map((worker) => ({
      id: this.#id(worker),
      metrics: worker.metrics(),
      paused: worker instanceof Producer && worker.paused,
      writesTo: worker.getSubscribers().map((queue) => this.#id(queue)),
      reads: worker instanceof Consumer ? this.#id(worker.getWorkQueue()) : undefined,
      pool: poolOf.get(worker),
    }));
    const queues: QueueView[] = units.queues.map((queue) => ({ id: this.#id(queue), metrics: queue.metrics(), member: memberQueues.has(queue) }));
    const pools: PoolView[] = units.pools.map((pool) => {
      const { members, ...metrics } = pool.metrics();
      void members;
      return { id: this.#id(pool), metrics, members: pool.members.map((member) => this.#id(member)), reads: this.#id(pool.getWorkQueue()) };
    });
    const pipelines: PipelineView[] = units.pipelines.map((flow) => ({
      id: this.#id(flow),
      stages: flow.stages.map((stage) => stage.map((unit) => this.#id(unit))),
      progress: flow.progress(),
    }));
    return { at: Date.now(), workers, queues, pools, pipelines };
  }

  /** Takes the listeners away: the workers' metrics go back to how the application left them. */
  close(): void {
    this.#unwatch();
    for (const worker of this.#listened) worker.off('metrics', keepMetricsOn);
    this.#listened.clear();
  }

  #listen(worker: Worker<any, any, any, any, any>): void {
    this.#listened.add(worker);
    worker.on('metrics', keepMetricsOn);
  }

  #id(unit: Unit): string {
    let id = this.#ids.get(unit);
    if (!id) {
      const kind = unit instanceof ConsumerPool ? 'pool' : 'getState' in unit ? 'worker' : 'stages' in unit ? 'pipeline' : 'queue';
      id = `${kind}-${this.#next++}`;
      this.#ids.set(unit, id);
      this.#byId.set(id, new WeakRef(unit));
    }
    return id;
  }
}
