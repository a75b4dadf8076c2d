import { EventEmitter } from 'node:events';
import { raise, tell } from '../../src/parent/raise.js';

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
