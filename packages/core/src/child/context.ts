import type { WorkContext } from '../shared/hooks.js';
import type { WorkerSpec } from '../shared/protocol.js';
import type { MessageInbox } from './inbox.js';
import type { ChildLink } from './link.js';
import type { RunState } from './run-state.js';

/** What `ctx` does through the runtime. */
export interface ContextActions {
  /** `ctx.stop()`. */
  stopSelf(): void;
  /** `ctx.setWorkTimeout(ms)`, with `ms` checked. */
  setWorkTimeout(ms: number): void;
}

/** Builds the `ctx` every hook receives. */
export function createContext(spec: WorkerSpec, state: RunState, inbox: MessageInbox, link: ChildLink, actions: ContextActions): WorkContext {
  return {
    args: spec.args,
    startResult: undefined,
    get state() {
      return state.current;
    },
    signal: state.signal,
    stop: () => actions.stopSelf(),
    setWorkTimeout: (ms: number) => {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`Worker '${spec.name}': ctx.setWorkTimeout() takes a number of milliseconds ≥ 0, got ${String(ms)}`);
      }
      actions.setWorkTimeout(ms);
    },
    messages: {
      send: (message: unknown) => link.messages.push(message),
      receive: () => inbox.receive(),
      tryReceive: () => inbox.tryReceive(),
      [Symbol.asyncIterator]: () => inbox[Symbol.asyncIterator](),
    },
    name: spec.name,
  };
}
