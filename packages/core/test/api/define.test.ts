import { defineConsumer, defineProducer } from '../../src/api/define.js';
import { Producer } from '../../src/api/producer.js';
import { childClass } from '../../src/parent/child-class.js';
import { ConfigError } from '../../src/shared/errors.js';

const hooks = {
  moduleUrl: 'file:///workers.mjs',
  onStart: () => ({ next: 0 }),
  work: (ctx: { startResult: { next: number } }) => ctx.startResult.next++,
};

describe('defineProducer / defineConsumer', () => {
  it('make a base class whose statics are the hooks', () => {
    class Sensor extends defineProducer<{ item: number; start: { next: number } }>(hooks) {}
    expect(Sensor.work).toBe(hooks.work);
    expect(Sensor.onStart).toBe(hooks.onStart);
    expect(Sensor.moduleUrl).toBe('file:///workers.mjs');
    expect(new Sensor({ name: 'sensor-1' })).toBeInstanceOf(Producer);
    class Printer extends defineConsumer<{ item: number; result: string }>({ work: (items) => items.join(',') }) {}
    expect(new Printer().getWorkQueue().capacity).toBe(10_000);
  });

  it('leave the default hooks and loop of Producer and Consumer where the definition has none', () => {
    class Sensor extends defineProducer({ work: () => 1 }) {}
    expect(Sensor.onStop).toBe(Producer.onStop);
    expect(Sensor.workLoop).toBe(Producer.workLoop);
  });

  it('refuse to construct the base class itself: the child could not find it by name', () => {
    const Base = defineProducer({ work: () => 1 }) as unknown as new () => unknown;
    expect(() => new Base()).toThrow(ConfigError);
    expect(() => new Base()).toThrow(/defineProducer\(\): the class it returns is a base class: extend and export it/);
  });

  it.each([
    [null, /defineProducer\(\): takes an object of hooks \(work, onStart, onStop, onMessage, workLoop, moduleUrl\), got null/],
    [{ work: () => 1, onstart: () => 1 }, /unknown key "onstart": a definition holds work, onStart, onStop, onMessage, workLoop, moduleUrl/],
    [{ onStart: () => 1 }, /the definition must have work, a function/],
    [{ work: 'run' }, /"work" must be a function, got "run"/],
    [{ work: () => 1, moduleUrl: 42 }, /"moduleUrl" must be a string, got 42/],
  ] as Array<[unknown, RegExp]>)('refuse a definition that is not one: %#', (definition, message) => {
    expect(() => defineProducer(definition as never)).toThrow(ConfigError);
    expect(() => defineProducer(definition as never)).toThrow(message);
  });
});

describe('childClass', () => {
  it('loads the class that extends a definition, not the definition', () => {
    class Sensor extends defineProducer({ work: () => 1 }) {}
    expect(childClass(Sensor)).toBe(Sensor);
  });

  it('loads that class for a subclass that only adds main-process behaviour', () => {
    class Sensor extends defineProducer({ work: () => 1 }) {}
    class LoggingSensor extends Sensor {
      override onResult(): void {}
    }
    expect(childClass(LoggingSensor)).toBe(Sensor);
  });

  it('loads a subclass that defines hooks of its own (or its own moduleUrl)', () => {
    class Sensor extends defineProducer({ work: () => 1 }) {}
    class Elsewhere extends Sensor {
      static override moduleUrl = 'file:///elsewhere.mjs';
    }
    expect(childClass(Elsewhere)).toBe(Elsewhere);
  });

  it('still finds plain subclasses as before', () => {
    class Counter extends Producer {
      static override work(): number {
        return 1;
      }
    }
    class Quiet extends Counter {
      override onResult(): void {}
    }
    expect(childClass(Counter)).toBe(Counter);
    expect(childClass(Quiet)).toBe(Counter);
  });
});
