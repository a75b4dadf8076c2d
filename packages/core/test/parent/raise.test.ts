import { EventEmitter } from 'node:events';
import { callUser, raise, reportRejection, tell } from '../../src/parent/raise.js';
import { CallbackError } from '../../src/shared/errors.js';

describe('raise', () => {
  it("reaches a listener attached by the code that an `await` resumes in the same I/O callback", async () => {
    // One socket read often carries both "onStart returned" (which resolves start()) and "work
    // failed" (which raises). `await worker.start(); worker.on('error', …)` must see the error.
    const emitter = new EventEmitter();
    const error = new Error('work failed');
    const received: Error[] = [];
    await new Promise<void>((done) => {
      setImmediate(() => {
        let resolveStart!: () => void;
        const started = new Promise<void>((resolve) => (resolveStart = resolve));
        void (async () => {
          await started;
          await null; // start() resolves through a few promise hops
          emitter.on('error', (delivered: Error) => received.push(delivered));
        })();
        resolveStart();
        raise(emitter, error, () => true); // `true`: a missed error is dropped here, not thrown into jest
        setImmediate(done); // queued after raise's delivery
      });
    });
    expect(received).toEqual([error]);
  });
});

describe('tell', () => {
  it('delivers news to the listeners, and with none throws nothing (news is not a failure)', async () => {
    const listened = new EventEmitter();
    const received: Error[] = [];
    listened.on('error', (news: Error) => received.push(news));
    const news = new Error('queue reset');
    tell(listened, news);
    tell(new EventEmitter(), news); // would be an uncaught exception if it were emitted as 'error'
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toEqual([news]);
  });
});

describe('callUser', () => {
  const owner = { kind: 'Worker', name: 'sink' };

  /** The 'error' events of `emitter` once raise's deliveries (setImmediate) ran. */
  async function errorsOf(emitter: EventEmitter, act: () => void): Promise<CallbackError[]> {
    const received: CallbackError[] = [];
    emitter.on('error', (error: CallbackError) => received.push(error));
    act();
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    return received;
  }

  it('reports a throw and a rejected promise alike, as a CallbackError naming the owner and the callback', async () => {
    const emitter = new EventEmitter();
    const thrown = new Error('sync');
    const rejected = new Error('async');
    const errors = await errorsOf(emitter, () => {
      callUser(emitter, owner, 'onResult', () => {
        throw thrown;
      });
      callUser(emitter, owner, 'onMessage', () => Promise.reject(rejected));
      callUser(emitter, owner, 'onMessage', () => Promise.resolve('fine'));
      callUser(emitter, owner, 'onMessage', () => 'fine');
    });
    expect(errors.map((error) => [error.worker, error.callback, error.cause])).toEqual([
      ['sink', 'onResult', thrown],
      ['sink', 'onMessage', rejected],
    ]);
  });

  it("reports an async listener's rejection through captureRejections", async () => {
    class Owned extends EventEmitter {
      constructor() {
        super({ captureRejections: true });
      }
      override [EventEmitter.captureRejectionSymbol](error: Error, event: unknown): void {
        reportRejection(this, owner, error, event);
      }
    }
    const emitter = new Owned();
    const rejected = new Error('listener broke');
    emitter.on('result', () => Promise.reject(rejected));
    const errors = await errorsOf(emitter, () => emitter.emit('result', 1));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'ERR_CALLBACK_FAILED', worker: 'sink', callback: "'result' listener", cause: rejected });
  });
});
