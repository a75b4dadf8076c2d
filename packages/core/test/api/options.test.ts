import { ConfigError } from '../../src/shared/errors.js';
import { checkCount, checkDuration, mergeArgs, optionOwner, validateWorkerOptions } from '../../src/api/options.js';

describe('mergeArgs', () => {
  it('merges objects, start() args on top', () => {
    expect(mergeArgs({ port: 'COM1', baud: 9600 }, { baud: 115200 })).toEqual({ port: 'COM1', baud: 115200 });
  });
  it('keeps the constructor args when start() gives none, and lets other values replace', () => {
    expect(mergeArgs({ a: 1 }, undefined)).toEqual({ a: 1 });
    expect(mergeArgs([1, 2], [3])).toEqual([3]);
    expect(mergeArgs('x', 'y')).toBe('y');
  });
});

describe('option checks', () => {
  it('name the worker, the option and the value', () => {
    expect(() => checkDuration("Consumer 'c'", 'workTimeout', -1)).toThrow(
      `Consumer 'c': option "workTimeout" must be a number of milliseconds ≥ 0, got -1`,
    );
    expect(() => checkCount("Consumer 'c'", 'maxBufferSize', 0)).toThrow(ConfigError);
    expect(() => validateWorkerOptions('W', { output: 'loud' as never })).toThrow(/"output" must be 'prefix', 'inherit' or 'ignore'/);
    expect(() => validateWorkerOptions('W', { execArgv: ['--x', 1] as never })).toThrow(/"execArgv" must be an array of strings/);
  });
  it('set ConfigError.worker when the owner is a worker', () => {
    expect(() => checkDuration(optionOwner('Consumer', 'c'), 'workTimeout', -1)).toThrow(
      expect.objectContaining({ worker: 'c', message: `Consumer 'c': option "workTimeout" must be a number of milliseconds ≥ 0, got -1` }),
    );
    expect(() => validateWorkerOptions('W', { name: 'w-1', codec: 'xml' as never })).toThrow(expect.objectContaining({ worker: 'w-1' }));
    expect(() => validateWorkerOptions('W', { name: '' })).toThrow(expect.objectContaining({ worker: 'W' }));
  });
  it('default the name to the class name', () => {
    expect(validateWorkerOptions('Sensor', {})).toBe('Sensor');
    expect(validateWorkerOptions('Sensor', { name: 'sensor-2' })).toBe('sensor-2');
  });
});
