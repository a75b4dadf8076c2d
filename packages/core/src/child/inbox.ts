import { RingBuffer } from '@prodcon/ipc';

/**
 * Messages from the main process waiting for the worker to read them. They
 * arrive while `work` runs (the socket is read by the event loop), and wait
 * here until `receive`, `tryReceive` or iteration takes them.
 */
export class MessageInbox {
  #buffer = new RingBuffer<unknown>();
  #waiters: Array<{ resolve: (message: unknown) => void; reject: (error: Error) => void }> = [];
  #closed = false;

  deliver(values: unknown[]): void {
    for (const value of values) {
      const waiter = this.#waiters.shift();
      if (waiter) waiter.resolve(value);
      else this.#buffer.push(value);
    }
  }

  receive(): Promise<unknown> {
    if (this.#buffer.length > 0) return Promise.resolve(this.#buffer.shift());
    if (this.#closed) return Promise.reject(stoppedError());
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  tryReceive(): unknown | undefined {
    return this.#buffer.shift();
  }

  /** The worker stopped: waiting receives reject, iteration ends once the buffer is empty. */
  close(): void {
    this.#closed = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(stoppedError());
  }

  async *[Symbol.asyncIterator](): AsyncIterator<unknown> {
    for (;;) {
      if (this.#buffer.length > 0) {
        yield this.#buffer.shift();
        continue;
      }
      if (this.#closed) return;
      try {
        yield await this.receive();
      } catch {
        return;
      }
    }
  }
}

function stoppedError(): Error {
  return new DOMException('The worker is stopping: no more messages will come', 'AbortError');
}
