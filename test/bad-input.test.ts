import { fileURLToPath } from 'node:url';
import { ConfigError, Consumer, Producer, WorkerError, ReadyQueue } from '@prodcon/core';
import { execaNode } from 'execa';
import { BadValue, Collector, Counter, Echo } from './fixtures/workers.mjs';
import { makeHidden } from './fixtures/unexported.mjs';
import { nextEvent } from './helpers/events.js';

describe('bad input gets a clear error that names the worker and what to fix', () => {
  it('a class that is not exported from its module', async () => {
    const hidden = makeHidden();
    const error = (await hidden.start().catch((thrown: WorkerError) => thrown)) as WorkerError;
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.code).toBe('ERR_WORKER_MODULE');
    expect(error.message).toMatch(/Worker 'Hidden': class Hidden is not exported from .*unexported\.mjs/);
    expect(error.message).toMatch(/export it/);
    expect(hidden.getState()).toBe('stopped');
  });

  it.each([
    ['with a static moduleUrl', 'unguarded.mjs', /its module file:.*unguarded\.mjs starts workers when it is loaded/, /or move the code that starts workers out of that module\.$/],
    ['without one (the main script)', 'unguarded-main-script.mjs', /the main script file:.*unguarded-main-script\.mjs \(class Ticker has no static moduleUrl\) starts workers/, /with static moduleUrl = import\.meta\.url\.$/],
  ])('a module that starts workers at its top level, %s', async (_label, script, what, fix) => {
    const main = fileURLToPath(new URL(`./fixtures/mains/${script}`, import.meta.url));
    const result = await execaNode(main, [], { reject: false, timeout: 30_000 });
    expect(result.exitCode).not.toBe(0);
    const headline = String(result.stderr).split('\n').find((line) => line.startsWith('WorkerError'))!;
    expect(headline).toMatch(/^WorkerError \[ERR_WORKER_MODULE\]: Worker 'Ticker': /);
    expect(headline).toMatch(what);
    expect(headline).toMatch(/Guard that code with `if \(isMainProcess\(\)\) \{ \.\.\. \}`/);
    expect(headline).toMatch(fix);
    expect(headline).not.toMatch(/(?<!\.)\.\.(?!\.)/); // no doubled full stop (an ellipsis is fine)
    if (script === 'unguarded.mjs') expect(headline).not.toMatch(/set .*moduleUrl/i);
  });

  it('a moduleUrl that does not load', async () => {
    class Lost extends Producer {
      static override moduleUrl = 'file:///nowhere/lost.mjs';
      static override work() {
        return 1;
      }
    }
    const error = (await new Lost().start().catch((thrown: WorkerError) => thrown)) as WorkerError;
    expect(error.code).toBe('ERR_WORKER_MODULE');
    expect(error.message).toMatch(/Worker 'Lost': cannot load its module file:\/\/\/nowhere\/lost\.mjs/);
    expect(error.message).toMatch(/static moduleUrl/);
  });

  it.each(['result', 'message'] as const)('a function returned from work or sent as a %s: an error, not a dropped field', async (where) => {
    const bad = new BadValue({ name: 'leaky', args: { where } });
    bad.on('result', () => {});
    const errored = nextEvent<WorkerError>(bad, 'error');
    await bad.start();
    const error = await errored;
    expect(error.phase).toBe('work');
    expect(error.message).toMatch(/Worker 'leaky' failed in work: CodecError: Cannot send a function at/);
    expect(error.message).toMatch(/\.callback: functions and symbols cannot cross a process boundary/);
    await nextEvent(bad, 'state', (state) => state === 'stopped');
  });

  it('a function sent from the main process: thrown at the call', async () => {
    const echo = new Echo();
    await echo.start();
    expect(() => echo.sendMessage({ handler: () => 1 })).toThrow(/Worker 'Echo': Cannot send a function at message\.handler/);
    expect(() => echo.sendMessage(Symbol('s'))).toThrow(/Cannot send a symbol at message/);
    await echo.stop();
  });

  it('a function put into a queue: thrown at the put', async () => {
    const consumer = new Collector();
    await consumer.start();
    await expect(consumer.getWorkQueue().put({ f: () => 1 })).rejects.toThrow(/Cannot send a function at item\.f/);
    await consumer.stop();
  });

  it.each([
    [() => new Counter({ workTimeout: -1 }), /Producer 'Counter': option "workTimeout" must be a number of milliseconds ≥ 0, got -1/],
    [() => new Counter({ workTimeout: Number.NaN }), /option "workTimeout" must be a number of milliseconds ≥ 0, got NaN/],
    [() => new Collector({ maxBufferSize: 0 }), /Consumer 'Collector': option "maxBufferSize" must be a whole number ≥ 1, got 0/],
    [() => new Collector({ queueSize: 1.5 }), /option "queueSize" must be a whole number ≥ 1, got 1.5/],
    [() => new Collector({ lossy: 'yes' as never }), /option "lossy" must be true or false/],
    [() => new Collector({ codec: 'xml' as never }), /option "codec" must be one of auto, json, v8, superjson/],
    [() => new Counter({ name: '' }), /option "name" must be a non-empty string/],
    [() => new Counter({ subscribers: {} as never }), /setSubscribers\(\) takes an array of ReadyQueues/],
    [() => new Counter({ subscribers: [42] as never }), /subscribers must be ReadyQueues .* got 42/],
    [() => new ReadyQueue({ capacity: 0 }), /ReadyQueue: option "capacity" must be a whole number ≥ 1, got 0/],
  ])('invalid options: %#', (make, message) => {
    expect(make).toThrow(ConfigError);
    expect(make).toThrow(message);
  });

  it('ConfigError names the worker in a property too', () => {
    const thrown = (make: () => unknown) => {
      try {
        make();
      } catch (error) {
        return error as ConfigError;
      }
      throw new Error('did not throw');
    };
    expect(thrown(() => new Counter({ name: 'pump', workTimeout: -1 }))).toMatchObject({ code: 'ERR_INVALID_OPTION', worker: 'pump' });
    expect(thrown(() => new Collector({ codec: 'xml' as never }))).toMatchObject({ worker: 'Collector' });
    expect(thrown(() => new Counter().setSubscribers([42] as never))).toMatchObject({ worker: 'Counter' });
    expect(thrown(() => new ReadyQueue({ capacity: 0 })).worker).toBeUndefined();
  });

  it('a stop timeout that is not a duration', async () => {
    await expect(new Counter().stop({ timeout: -5 })).rejects.toThrow(/option "timeout" must be a number of milliseconds/);
  });

  it("get() on a queue that another process consumes", async () => {
    await expect(new Collector().getWorkQueue().get()).rejects.toThrow(
      /queue of consumer 'Collector' is consumed by its worker's process; get\(\) and for-await work on queues you create/,
    );
  });

  it('a Consumer subclass used without work', () => {
    class Empty extends Consumer {}
    expect(() => new Empty()).toThrow(/Consumer 'Empty': class Empty must define static work\(items, ctx\)/);
  });
});

describe('classes without a name of their own', () => {
  it('an anonymous subclass that only adds main-process behaviour takes the name of the class its child loads, alone or in a pool', async () => {
    const { ConsumerPool } = await import('@prodcon/core');
    const anonymous = () =>
      class extends Collector {
        override onResult(): void {}
      };
    const Listening = anonymous();
    expect(Listening.name).toBe(''); // no name inferred from a binding
    expect(new Listening().name).toBe('Collector');
    const pool = new ConsumerPool(Listening, { size: 2 });
    expect(pool.name).toBe('Collector');
    expect(pool.members.map((member) => member.name)).toEqual(['Collector-1', 'Collector-2']);
    const results = await pool.join(); // runs each member once: the child found the class by its name
    expect(results).toEqual([undefined, undefined]);
  });

  it('an anonymous class with hooks of its own is refused, since no child could find it', () => {
    const anonymous = () =>
      class extends Consumer {
        static override work(items: unknown[]) {
          return items;
        }
      };
    const Anonymous = anonymous();
    expect(() => new Anonymous()).toThrow(ConfigError);
    expect(() => new Anonymous()).toThrow(/must have a name: its child process finds it among its module's exports by name/);
  });
});

describe('values and programs that could hang a start', () => {
  it('start() with a function or a symbol in its args rejects at once, naming the path, and leaves the worker stopped', async () => {
    const { CodecError } = await import('@prodcon/core');
    const producer = new Counter();
    const withFunction = producer.start({ args: { onTick: () => 1 } as never });
    await expect(withFunction).rejects.toBeInstanceOf(CodecError);
    await expect(withFunction).rejects.toThrow("Worker 'Counter': Cannot send a function at args.onTick");
    await expect(producer.start({ args: { tag: Symbol('x') } as never })).rejects.toThrow(/a symbol at args\.tag/);
    expect(producer.getState()).toBe('stopped');
    expect(producer.pid).toBeUndefined();
  });

  it.each([
    ['defined in the -e code', "class Inline extends Producer { static moduleUrl = import.meta.url; static work() { return 1; } }", /its moduleUrl is file:\/\/.*\[eval1\]/],
    ['with no moduleUrl (the main script has no file)', 'class Inline extends Producer { static work() { return 1; } }', /the main code has no file \(node -e, -p, stdin or a REPL\)/],
  ])('a worker %s under `node -e` fails at once with ERR_WORKER_MODULE, and no child runs the main code again', async (_, declaration, reason) => {
    const { execa } = await import('execa');
    const code = `import { Producer } from '@prodcon/core'; ${declaration}
      try { await new Inline().start(); } catch (error) { console.log(error.code, error.message); }`;
    const started = Date.now();
    const result = await execa(process.execPath, ['--input-type=module', '-e', code], { reject: false, timeout: 20_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(String(result.stdout)).toMatch(/^ERR_WORKER_MODULE Worker 'Inline': no child process can load its class/);
    expect(String(result.stdout)).toMatch(reason);
    expect(result.exitCode).toBe(0);
  });

  it('a child that never connects back is killed after connectTimeout, and start() names the worker', async () => {
    const hang = 'data:text/javascript,setInterval(()=>{},1000);await new Promise(()=>{})';
    const producer = new Counter({ execArgv: ['--import', hang], connectTimeout: 500 });
    const started = Date.now();
    const error = (await producer.start().catch((thrown: WorkerError) => thrown)) as WorkerError;
    expect(error).toBeInstanceOf(WorkerError);
    expect(error.code).toBe('ERR_WORKER_SPAWN');
    expect(error.message).toBe("Worker 'Counter': its child process did not connect within 500 ms and was killed (a hung --import hook or loader, or Node.js flags that make it run something else?)");
    expect(Date.now() - started).toBeLessThan(5000);
    expect(producer.getState()).toBe('stopped');
  });
});
