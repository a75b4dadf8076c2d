// One measurement in a process of its own: `node bench/measure.mjs <kind> '<options as JSON>'`.
// bench/run.mjs (through lib/fresh.mjs) and bench/profile.mjs start it; it sends its result (an object
// of figures) on the IPC channel and exits. The kinds are the exports of bench/measures/*.mjs, loaded
// only when asked, so that a measurement of start-up loads nothing else first.

const MODULES = {
  pool: './measures/pool.mjs',
  threadPool: './measures/thread-pools.mjs',
  forkPool: './baselines/fork-pool.mjs',
  stream: './measures/streaming.mjs',
  raw: './measures/raw.mjs',
  python: './measures/python.mjs',
  latency: './measures/latency.mjs',
  start: './measures/start.mjs',
  misc: './measures/misc.mjs',
  redis: './measures/redis.mjs',
};

const [kind, json = '{}'] = process.argv.slice(2);
const [file, name] = kind.split('.');
if (!MODULES[file]) throw new Error(`unknown measurement kind '${kind}'`);
const measurements = await import(MODULES[file]);
if (typeof measurements[name] !== 'function') throw new Error(`unknown measurement '${kind}'`);
const result = await measurements[name](JSON.parse(json));
if (process.send) process.send(result, () => process.exit(0));
else {
  console.log(JSON.stringify(result));
  process.exit(0);
}
