import type { WorkContext } from '../shared/hooks.js';
import type { WorkerSpec } from '../shared/protocol.js';
import type { MessageInbox } from './inbox.js';
import type { ChildLink } from './link.js';
import type { RunState } from './run-state.js';

/** Builds the `ctx` every hook receives. `stopSelf` runs when a hook calls `ctx.stop()`. */
export function createContext(spec: WorkerSpec, state: RunState, inbox: MessageInbox, link: ChildLink, stopSelf: () => void): WorkContext {
  return {
    args: spec.args,
    startResult: undefined,
    get state() {
      return state.current;
    },
    signal: state.signal,
    stop: stopSelf,
    messages: {
      send: (message: unknown) => link.messages.push(message),
      receive: () => inbox.receive(),
      tryReceive: () => inbox.tryReceive(),
      [Symbol.asyncIterator]: () => inbox[Symbol.asyncIterator](),
    },
    name: spec.name,
  };
}
