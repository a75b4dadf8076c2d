import type { WorkContext } from '../shared/hooks.js';
import { HookFailure } from './control.js';
import type { MessageInbox } from './inbox.js';

/** A worker class's child-side message hook: `static onMessage(message, ctx)`; what it returns is the reply. */
export type MessageHook = (message: unknown, ctx: WorkContext) => unknown;

/**
 * Messages from the main process on their way to the worker. With a static
 * `onMessage` hook, each goes to it as it arrives (also while the loop waits
 * for items or sleeps between calls), one at a time and in order, once
 * onStart returned; a reply (anything but undefined) goes back on the
 * message channel. Without the hook they go to `ctx.messages`. Messages wait
 * while the class loads; those arriving after onStop began are not handled.
 */
export class MessageDispatch {
  #inbox: MessageInbox;
  #ctx: WorkContext;
  #reply: (value: unknown) => void;
  #fail: (failure: HookFailure) => void;
  #waiting: unknown[] = [];
  /** undefined until the class loaded; null when it has no hook. */
  #hook: MessageHook | null | undefined;
  #open = false;
  #closed = false;
  #chain: Promise<void> = Promise.resolve();

  constructor(inbox: MessageInbox, ctx: WorkContext, reply: (value: unknown) => void, fail: (failure: HookFailure) => void) {
    this.#inbox = inbox;
    this.#ctx = ctx;
    this.#reply = reply;
    this.#fail = fail;
  }

  deliver(values: unknown[]): void {
    if (!this.#open) {
      for (const value of values) this.#waiting.push(value);
      return;
    }
    this.#route(values);
  }

  /** The worker's class loaded: without a hook, messages go to ctx.messages from now on (those that waited first). */
  classLoaded(hook: MessageHook | undefined): void {
    this.#hook = hook ?? null;
    if (!hook) this.#openNow();
  }

  /** onStart returned: the hook takes messages from now on. */
  started(): void {
    if (this.#hook) this.#openNow();
  }

  /** onStop began: later messages are not handled. */
  close(): void {
    this.#closed = true;
  }

  #openNow(): void {
    this.#open = true;
    const waiting = this.#waiting;
    this.#waiting = [];
    if (waiting.length > 0) this.#route(waiting);
  }

  #route(values: unknown[]): void {
    const hook = this.#hook;
    if (!hook) {
      this.#inbox.deliver(values);
      return;
    }
    for (const message of values) this.#chain = this.#chain.then(() => this.#call(hook, message));
  }

  async #call(hook: MessageHook, message: unknown): Promise<void> {
    if (this.#closed) return;
    try {
      const reply = await hook(message, this.#ctx);
      if (reply !== undefined && !this.#closed) this.#reply(reply);
    } catch (error) {
      this.#closed = true;
      this.#fail(new HookFailure('onMessage', error));
    }
  }
}
