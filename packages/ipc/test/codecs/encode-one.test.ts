import { types } from 'node:util';
import { CodecError, CodecId, decodeBatch, encodeOne, registerClass, superjsonIfLoaded } from '../../src/index.js';

class Reading {
  constructor(
    public sensor: string,
    public value: number,
  ) {}
  label(): string {
    return `${this.sensor}=${this.value}`;
  }
}
registerClass(Reading, 'test.Reading');

/** Decodes what encodeOne produced: a batch of exactly one value. */
function decodeOne(encoded: { codecId: number; bytes: Uint8Array | string }): unknown {
  const values = decodeBatch(encoded.codecId, Buffer.from(encoded.bytes));
  expect(values).toHaveLength(1);
  return values[0];
}

describe('encodeOne', () => {
  it('sends plain data as JSON', async () => {
    const value = { seq: 1, tag: 'sensor-1', ok: true, none: null, list: [1, 2] };
    const encoded = await encodeOne(value, 'auto', 'args');
    expect(encoded.codecId).toBe(CodecId.json);
    expect(typeof encoded.bytes).toBe('string');
    expect(decodeOne(encoded)).toEqual(value);
  });

  it('sends a Date with v8, and it arrives a Date', async () => {
    const encoded = await encodeOne(new Date(1_700_000_000_000), 'auto', 'args');
    expect(encoded.codecId).toBe(CodecId.v8);
    const back = decodeOne(encoded) as Date;
    // v8 builds values in the main realm, jest runs tests in a vm realm: compare by type tag, not instanceof.
    expect(types.isDate(back)).toBe(true);
    expect(back.getTime()).toBe(1_700_000_000_000);
  });

  it('honours a codec chosen by the caller', async () => {
    expect((await encodeOne({ plain: true }, 'v8', 'args')).codecId).toBe(CodecId.v8);
    expect((await encodeOne(new Date(0), 'json', 'args')).codecId).toBe(CodecId.json);
  });

  it('loads superjson for a class instance, which arrives an instance of its class', async () => {
    // Nothing in this file loaded superjson before: encodeOne must load it itself.
    expect(superjsonIfLoaded()).toBeUndefined();
    const encoded = await encodeOne({ reading: new Reading('t1', 21.5) }, 'auto', 'onStop result');
    expect(encoded.codecId).toBe(CodecId.superjson);
    expect(superjsonIfLoaded()).toBeDefined();
    const back = decodeOne(encoded) as { reading: Reading };
    expect(back.reading).toBeInstanceOf(Reading);
    expect(back.reading.label()).toBe('t1=21.5');
  });

  it('refuses a function with a CodecError that names where it was', async () => {
    const sending = encodeOne({ onDone: () => undefined }, 'auto', 'args');
    await expect(sending).rejects.toBeInstanceOf(CodecError);
    await expect(sending).rejects.toMatchObject({ code: 'ERR_CODEC_UNSUPPORTED_VALUE', message: expect.stringContaining('args[0].onDone') });
  });
});
