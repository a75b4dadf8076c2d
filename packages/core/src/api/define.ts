import { DEFINED_HOOKS, WORKER_HOOKS } from '../parent/child-class.js';
import { describe } from '../shared/describe.js';
import type { END } from '../shared/end.js';
import type { WorkContext, WorkLoopControl } from '../shared/hooks.js';
import { Consumer, type ConsumerOptions } from './consumer.js';
import { invalidOption } from './options.js';
import { Producer, type ProducerOptions } from './producer.js';
import type { Worker } from './worker.js';

/*
 * Typed worker classes. Static members cannot see a class's type parameters,
 * so the hooks are written in an object whose type comes from the declared
 * types, and that object becomes the base class:
 *
 *   export class Sensor extends defineProducer<{ item: Reading; start: { seq: number } }>({ ... }) {}
 *
 * The child loads `Sensor` by name (see childClass): the class made here has
 * no name to be found by and is never loaded itself.
 */

/**
 * A producer's types, by name. Each is optional: left out, it is `unknown`
 * (and `reply` is `message`).
 */
export interface ProducerTypes {
  /** What `work` returns: the items its subscribers get (and its results). */
  item?: unknown;
  /** Its `args` (the options' and start()'s merged), as `ctx.args`. */
  args?: unknown;
  /** What onStart returns, as `ctx.startResult`. Declaring it makes onStart required. */
  start?: unknown;
  /** Messages from the main process to the child: `sendMessage()`, `ctx.messages.receive()`. */
  message?: unknown;
  /** Messages from the child to the main process: `ctx.messages.send()`, the 'message' event. Defaults to `message`. */
  reply?: unknown;
  /** What onStop returns: `stopResult`, and a pool's `join()` results. */
  stop?: unknown;
}

/** A consumer's types, by name (see ProducerTypes for the shared ones). */
export interface ConsumerTypes extends ProducerTypes {
  /** The items it consumes: its queue's type, what `work` receives in batches. */
  item?: unknown;
  /** What `work` returns: its results (and what its subscribers get). */
  result?: unknown;
}

/** The type declared under `key`, or `fallback` when the declaration leaves it out. */
type Declared<T, K extends keyof ConsumerTypes, Fallback = unknown> = K extends keyof T ? T[K] : Fallback;
type Item<T> = Declared<T, 'item'>;
type Result<T> = Declared<T, 'result'>;
type Args<T> = Declared<T, 'args'>;
type Start<T> = Declared<T, 'start'>;
type Message<T> = Declared<T, 'message'>;
type Reply<T> = Declared<T, 'reply', Message<T>>;
type Stop<T> = Declared<T, 'stop'>;
type MaybePromise<T> = T | Promise<T>;

/** The `ctx` of the hooks of a worker declared with types `T`. */
export type DefinedContext<T> = WorkContext<Args<T>, Start<T>, Message<T>, Reply<T>>;
/** onStart's `ctx`: there is no startResult yet. */
export type DefinedStartContext<T> = WorkContext<Args<T>, undefined, Message<T>, Reply<T>>;

/** The hooks both kinds of worker may define. */
export interface CommonDefinition<T> {
  /** The module that defines (and exports) the class: `import.meta.url`. Defaults to the main script. */
  moduleUrl?: string;
  /** Runs once in the child after the last `work` (also after a failed one); its return value is `stopResult`. */
  onStop?: (ctx: DefinedContext<T>) => MaybePromise<Stop<T>>;
  /**
   * Runs in the child for each message from the main process, in order, once onStart returned;
   * what it returns (unless undefined) is sent back as a reply. Without it, messages go to ctx.messages.
   */
  onMessage?: (message: Message<T>, ctx: DefinedContext<T>) => MaybePromise<Reply<T> | undefined>;
  /** Replaces the framework's loop (see producerLoop / consumerLoop). */
  workLoop?: (control: WorkLoopControl) => Promise<void> | void;
}

/** onStart: required when `start` is declared (and cannot be undefined), since ctx.startResult relies on it. */
export type StartDefinition<T> = undefined extends Start<T>
  ? {
      /** Runs once in the child before the first `work`; what it returns is `ctx.startResult`. */
      onStart?: (ctx: DefinedStartContext<T>) => MaybePromise<Start<T>>;
    }
  : {
      /** Runs once in the child before the first `work`; what it returns is `ctx.startResult`. */
      onStart: (ctx: DefinedStartContext<T>) => MaybePromise<Start<T>>;
    };

/** The hooks of a producer declared with types `T` (see defineProducer). */
export type ProducerDefinition<T extends ProducerTypes = ProducerTypes> = CommonDefinition<T> &
  StartDefinition<T> & {
    /** Produces one item, `undefined` for none this round, or END to end the stream. Runs in the child. */
    work: (ctx: DefinedContext<T>) => MaybePromise<Item<T> | undefined | typeof END>;
  };

/** The hooks of a consumer declared with types `T` (see defineConsumer). */
export type ConsumerDefinition<T extends ConsumerTypes = ConsumerTypes> = CommonDefinition<T> &
  StartDefinition<T> & {
    /** Consumes a batch; what it returns (unless undefined) is a result. Runs in the child. */
    work: (items: Item<T>[], ctx: DefinedContext<T>) => MaybePromise<Result<T> | undefined>;
  };

/** Rejects type names that are not declared ones (a typo would otherwise silently be `unknown`). */
type OnlyKnownTypes<T, Shape, Known extends string> = {
  [K in Exclude<keyof T, keyof Shape> as `unknown type '${K & string}': declare ${Known}`]: never;
};

/** The static side of a defined class: its hooks, typed from the declared types. */
export interface DefinedStatics<T> {
  /** The module the child loads to find the class (see Worker.moduleUrl). */
  moduleUrl?: string;
  /** The definition's onStart (or the default, which returns undefined). */
  onStart(ctx: DefinedStartContext<T>): MaybePromise<Start<T>>;
  /** The definition's onStop (or the default, which returns undefined). */
  onStop(ctx: DefinedContext<T>): MaybePromise<Stop<T>>;
  /** The definition's onMessage, if it has one. */
  onMessage?(message: Message<T>, ctx: DefinedContext<T>): MaybePromise<Reply<T> | undefined>;
  /** The definition's workLoop (or the framework's). */
  workLoop(control: WorkLoopControl): Promise<void> | void;
}

/** What defineProducer returns: a base class to extend (and export). */
export type DefinedProducer<T extends ProducerTypes = ProducerTypes> = DefinedStatics<T> & {
  /** The definition's work. */
  work(ctx: DefinedContext<T>): MaybePromise<Item<T> | undefined | typeof END>;
} & (abstract new (options?: ProducerOptions<Item<T>, Args<T>>) => Producer<Item<T>, Args<T>, Start<T>, Message<T>, Reply<T>>);

/** What defineConsumer returns: a base class to extend (and export). */
export type DefinedConsumer<T extends ConsumerTypes = ConsumerTypes> = DefinedStatics<T> & {
  /** The definition's work. */
  work(items: Item<T>[], ctx: DefinedContext<T>): MaybePromise<Result<T> | undefined>;
} & (abstract new (options?: ConsumerOptions<Args<T>, Result<T>>) => Consumer<Item<T>, Result<T>, Args<T>, Start<T>, Message<T>, Reply<T>>);

/**
 * A typed Producer base class: declare the producer's types once, write its
 * hooks in the definition (their `ctx` and return types follow), and extend
 * the result. Export the class: the child process finds it by name.
 *
 * @example
 * ```ts
 * export class Sensor extends defineProducer<{ item: Reading; args: { sensor: string }; start: { seq: number } }>({
 *   moduleUrl: import.meta.url,
 *   onStart: () => ({ seq: 0 }),
 *   work: (ctx) => ({ sensor: ctx.args.sensor, seq: ctx.startResult.seq++ }),
 * }) {}
 *
 * const sensor = new Sensor({ args: { sensor: 'lab-1' }, subscribers: [logger.getWorkQueue()] });
 * ```
 *
 * @typeParam T - the producer's types by name (ProducerTypes): `item`, `args`, `start`, `message`, `reply`, `stop`
 * @throws ConfigError when the definition is not an object of hooks with a `work` function
 */
export function defineProducer<T extends ProducerTypes = ProducerTypes>(
  definition: ProducerDefinition<T> & OnlyKnownTypes<T, ProducerTypes, 'item, args, start, message, reply or stop'>,
): DefinedProducer<T> {
  return defineClass(Producer, 'defineProducer', definition) as unknown as DefinedProducer<T>;
}

/**
 * A typed Consumer base class: declare the consumer's types once, write its
 * hooks in the definition (their `items`, `ctx` and return types follow), and
 * extend the result. Export the class: the child process finds it by name.
 *
 * @example
 * ```ts
 * export class Averager extends defineConsumer<{ item: Reading; result: string }>({
 *   moduleUrl: import.meta.url,
 *   work: (readings) => `mean ${readings.reduce((sum, r) => sum + r.celsius, 0) / readings.length}`,
 * }) {}
 * ```
 *
 * @typeParam T - the consumer's types by name (ConsumerTypes): `item`, `result`, `args`, `start`, `message`, `reply`, `stop`
 * @throws ConfigError when the definition is not an object of hooks with a `work` function
 */
export function defineConsumer<T extends ConsumerTypes = ConsumerTypes>(
  definition: ConsumerDefinition<T> & OnlyKnownTypes<T, ConsumerTypes, 'item, result, args, start, message, reply or stop'>,
): DefinedConsumer<T> {
  return defineClass(Consumer, 'defineConsumer', definition) as unknown as DefinedConsumer<T>;
}

type WorkerBase = abstract new (options?: object) => Worker;

/** A base class holding the definition's hooks as its static members. */
function defineClass(base: WorkerBase, helper: string, definition: object): WorkerBase {
  checkDefinition(helper, definition);
  abstract class Defined extends base {
    constructor(options?: object) {
      if (Object.prototype.hasOwnProperty.call(new.target, DEFINED_HOOKS)) {
        throw invalidOption(
          `${helper}()`,
          `the class it returns is a base class: extend and export it (export class Sensor extends ${helper}({ ... }) {}), ` +
            'so that the child process can find your class by name',
        );
      }
      super(options);
    }
  }
  Object.defineProperty(Defined, DEFINED_HOOKS, { value: true });
  for (const [key, value] of Object.entries(definition)) {
    Object.defineProperty(Defined, key, { value, writable: true, configurable: true, enumerable: false });
  }
  return Defined;
}

function checkDefinition(helper: string, definition: unknown): asserts definition is Record<string, unknown> {
  const where = `${helper}()`;
  const known = WORKER_HOOKS.join(', ');
  if (definition === null || typeof definition !== 'object') {
    throw invalidOption(where, `takes an object of hooks (${known}), got ${describe(definition)}`);
  }
  for (const [key, value] of Object.entries(definition)) {
    if (!(WORKER_HOOKS as readonly string[]).includes(key)) {
      throw invalidOption(where, `unknown key "${key}": a definition holds ${known}`);
    }
    const expected = key === 'moduleUrl' ? 'string' : 'function';
    if (typeof value !== expected && !(value === undefined && key !== 'work')) {
      throw invalidOption(where, `"${key}" must be a ${expected}, got ${describe(value)}`);
    }
  }
  if (typeof (definition as { work?: unknown }).work !== 'function') {
    throw invalidOption(where, 'the definition must have work, a function');
  }
}
