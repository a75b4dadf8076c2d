import { createRequire } from 'node:module';
import type * as XState from 'xstate';
import type { WorkerState } from '../shared/protocol.js';

/**
 * The lifecycle of one worker, as one xstate machine:
 *
 *   stopped --START--> starting --STARTED--> running
 *   starting | running --STOP | SELF_STOP--> stopping
 *   starting | running --STOP_AT_QUEUE_END--> draining --STOP--> stoppingDrain
 *   any state but stopped --EXITED--> stopped
 *
 * EXITED means the child exited and everything it sent was delivered, so a
 * worker is `stopped` only when nothing of it is left. Each state carries a
 * tag with the public state it shows (`started`, `stopAtQueueEnd`,
 * `stopped`): a stop in progress keeps showing what it stops from.
 *
 * The entry actions are named and empty here; a Worker provides them (launch
 * the child, ask it to stop or drain). That keeps the machine pure: tests
 * call xstate's `transition()` on it and inspect the actions without any
 * process.
 */
export type LifecycleEvent =
  | { type: 'START' }
  | { type: 'STARTED' }
  | { type: 'STOP' }
  | { type: 'STOP_AT_QUEUE_END' }
  | { type: 'SELF_STOP' }
  | { type: 'EXITED' };

export type LifecycleAction = 'launch' | 'requestStop' | 'requestDrain';

// xstate costs ~20 ms to load, and children load this package too (user modules
// import it) without ever running a machine: load it on first use, synchronously.
const require = createRequire(import.meta.url);
let xstate: typeof XState | undefined;
function loadXState(): typeof XState {
  xstate ??= require('xstate') as typeof XState;
  return xstate;
}

function defineMachine() {
  const { setup } = loadXState();
  return setup({
    types: {
      events: {} as LifecycleEvent,
    },
    actions: {
      launch: () => {},
      requestStop: () => {},
      requestDrain: () => {},
    },
  }).createMachine({
    id: 'worker',
    initial: 'stopped',
    states: {
      stopped: {
        tags: ['stopped'],
        on: { START: 'starting' },
      },
      starting: {
        tags: ['started'],
        entry: 'launch',
        on: {
          STARTED: 'running',
          STOP: 'stopping',
          SELF_STOP: 'stopping',
          STOP_AT_QUEUE_END: 'draining',
          EXITED: 'stopped',
        },
      },
      running: {
        tags: ['started'],
        on: {
          STOP: 'stopping',
          SELF_STOP: 'stopping',
          STOP_AT_QUEUE_END: 'draining',
          EXITED: 'stopped',
        },
      },
      draining: {
        tags: ['stopAtQueueEnd'],
        entry: 'requestDrain',
        on: {
          STOP: 'stoppingDrain',
          EXITED: 'stopped',
        },
      },
      stopping: {
        tags: ['started'],
        entry: 'requestStop',
        on: { EXITED: 'stopped' },
      },
      stoppingDrain: {
        tags: ['stopAtQueueEnd'],
        entry: 'requestStop',
        on: { EXITED: 'stopped' },
      },
    },
  });
}

export type LifecycleMachine = ReturnType<typeof defineMachine>;
export type LifecycleSnapshot = XState.SnapshotFrom<LifecycleMachine>;
/** The detailed lifecycle state of a worker (`worker.status`); WorkerState is what it shows. */
export type LifecycleStateName = 'stopped' | 'starting' | 'running' | 'draining' | 'stopping' | 'stoppingDrain';

let machine: LifecycleMachine | undefined;

/** The machine definition (pure: its actions do nothing until a Worker provides them). */
export function lifecycleMachine(): LifecycleMachine {
  machine ??= defineMachine();
  return machine;
}

/** The public state a snapshot shows. */
export function publicState(snapshot: LifecycleSnapshot): WorkerState {
  if (snapshot.hasTag('stopAtQueueEnd')) return 'stopAtQueueEnd';
  if (snapshot.hasTag('started')) return 'started';
  return 'stopped';
}

/** The detailed state name of a snapshot. */
export function stateName(snapshot: LifecycleSnapshot): LifecycleStateName {
  return snapshot.value;
}

/** Starts an actor of the machine with the given action implementations. */
export function createLifecycleActor(actions: Record<LifecycleAction, () => void>) {
  const { createActor } = loadXState();
  const provided = lifecycleMachine().provide({
    actions: {
      launch: () => actions.launch(),
      requestStop: () => actions.requestStop(),
      requestDrain: () => actions.requestDrain(),
    },
  });
  const actor = createActor(provided);
  // Without an error observer xstate rethrows action errors from a timer, crashing the process.
  actor.subscribe({ error: (error) => process.emitWarning(`prodcon lifecycle actor failed: ${String(error)}`) });
  actor.start();
  return actor;
}

export type LifecycleActor = ReturnType<typeof createLifecycleActor>;

/** xstate's pure functions, for tests that step the machine without an actor. */
export function pureTransitions(): Pick<typeof XState, 'initialTransition' | 'transition'> {
  const { initialTransition, transition } = loadXState();
  return { initialTransition, transition };
}
