import { DROP_CAUSES, addDrops, noDrops, type DropCause, type DropCounts } from '@prodcon/ipc';

/*
 * Drops as they travel to and from the engine. The meta hash counts each
 * cause of @prodcon/ipc's DropCause as `d:<cause>`; scripts take and answer
 * one count per cause, in DROP_CAUSES order (see lua/prelude.ts).
 */

/** The drops by cause in a script's answer. */
export function parseDrops(reply: unknown): DropCounts {
  const drops = noDrops();
  if (Array.isArray(reply)) DROP_CAUSES.forEach((cause, index) => (drops[cause] = Number(reply[index] ?? 0)));
  return drops;
}

/** Drops as a script argument (a drop list): 'n1,n2,n3,n4,n5', in DROP_CAUSES order. */
export function dropList(drops: Readonly<Partial<DropCounts>>): string {
  return DROP_CAUSES.map((cause) => drops[cause] ?? 0).join(',');
}

/**
 * Drops this process counted itself, on their way into the engine's
 * counters (which every process reads): each script call takes what was
 * counted since the last one, and gives it back when the call failed.
 */
export class UnpushedDrops {
  #drops = noDrops();

  add(cause: DropCause, count: number): void {
    this.#drops[cause] += count;
  }

  /** What the next call carries; counted afresh from now on. */
  take(): DropCounts {
    const drops = this.#drops;
    this.#drops = noDrops();
    return drops;
  }

  /** A call that carried `drops` failed: they go with the next one. */
  giveBack(drops: Readonly<DropCounts>): void {
    addDrops(this.#drops, drops);
  }
}
