// What `pnpm bench` measures: each comparison a set of peers (measured in alternated rounds, each in a
// fresh process: lib/rounds.mjs) and the rows printed from them. `quick` keeps the rows of issue 11's
// goals and shortens the windows; the full run adds every other codec, size and section.

/** @returns {{ id: string, section: string, peers: object[], rows: object[], rounds?: number }[]} */
export function comparisons({ quick, python, redisUrl }) {
  const window = quick ? { warmupMs: 300, measureMs: 700 } : { warmupMs: 1000, measureMs: 2000 };
  const putLimitMs = quick ? 6000 : 30_000;
  const perItemCount = quick ? 2000 : 5000;
  const list = [];

  // --- the pool job ----------------------------------------------------------------------------------
  const poolPeers = [
    { id: 'tuned', label: 'prodcon, maxBufferSize 1000, await pool.put(...1000 items)', kind: 'pool.job', options: { tuned: true } },
    { id: 'defaults', label: 'prodcon, default options, await pool.put(...1000 items)', kind: 'pool.job', options: { tuned: false } },
    { id: 'fork', label: 'hand-written fork pool, process.send of arrays of 128', kind: 'forkPool.job', options: { batch: 128 } },
    { id: 'tinypool', label: 'tinypool, arrays of 128', kind: 'threadPool.tinypool', options: { batch: 128 } },
    { id: 'workerpool', label: 'workerpool, arrays of 128', kind: 'threadPool.workerpool', options: { batch: 128 } },
    { id: 'tinypool-1', label: `tinypool, one task per item (${perItemCount / 1000} k items)`, kind: 'threadPool.tinypool', options: { batch: 1, items: perItemCount } },
    { id: 'workerpool-1', label: `workerpool, one task per item (${perItemCount / 1000} k items)`, kind: 'threadPool.workerpool', options: { batch: 1, items: perItemCount } },
  ];
  const rate = { metric: 'rate', unit: 'items/s' };
  const cpu = (metric, what) => ({ metric, unit: 'µs', measure: `CPU per item, ${what}: prodcon tuned`, baselineLabel: `fork pool, ${what}` });
  list.push({
    id: 'pool',
    section: 'pool of 2, 200 k small items, results back to main',
    peers: poolPeers,
    rows: [
      { ...rate, peer: 'tuned', baseline: 'fork', note: 'goal ≥ 0.9' },
      { ...rate, peer: 'tuned', baseline: 'tinypool', note: 'goal ≥ 1.5' },
      { ...rate, peer: 'tuned', baseline: 'workerpool', note: 'goal ≥ 1.5' },
      { ...rate, peer: 'defaults', baseline: 'tuned', note: 'goal ≥ 0.8' },
      { ...rate, peer: 'tinypool-1', baseline: 'tinypool' },
      { ...rate, peer: 'workerpool-1', baseline: 'workerpool' },
      { ...cpu('cpuPerItem', 'main + members'), peer: 'tuned', baseline: 'fork', note: 'goal ≤ 1.2' },
      { ...cpu('cpuMainPerItem', 'main process'), peer: 'tuned', baseline: 'fork' },
      { ...cpu('cpuWorkersPerItem', 'members'), peer: 'tuned', baseline: 'fork' },
      { metric: 'cpuPerItem', unit: 'µs', peer: 'tinypool', measure: 'CPU per item, tinypool (threads: the whole process)' },
      { metric: 'cpuPerItem', unit: 'µs', peer: 'workerpool', measure: 'CPU per item, workerpool (threads: the whole process)' },
    ],
  });

  // --- queue.put per item, not awaited -----------------------------------------------------------------
  for (const [count, name] of [[100_000, '100 k'], [1_000_000, '1 M']]) {
    list.push({
      id: `put-${name.replace(' ', '')}`,
      section: `pool of 2 (tuned), ${name} items`,
      // --quick: 1 M items take seconds to make and put whatever the put path; one round of them.
      rounds: quick && count > 100_000 ? 1 : undefined,
      peers: [
        { id: 'each', label: 'queue.put(item) per item, not awaited', kind: 'pool.job', options: { put: 'each', items: count, limitMs: putLimitMs }, limitMs: putLimitMs + 120_000 },
        { id: 'chunks', label: 'await pool.put(...1000 items)', kind: 'pool.job', options: { put: 'chunks', items: count, limitMs: putLimitMs }, limitMs: putLimitMs + 120_000 },
      ],
      rows: [{ ...rate, peer: 'each', baseline: 'chunks', note: `goal ≥ 0.8; each run cut at ${putLimitMs / 1000} s` }],
    });
  }

  // --- streaming child → child ---------------------------------------------------------------------------
  for (const size of quick ? ['small'] : ['small', '1k', '64k']) {
    // The raw socket's frames hold 128 items (64 KiB items: one).
    const frame = size === '64k' ? 'frames of 1 item' : 'frames of 128';
    const peers = [
      { id: 'auto', label: `prodcon 1→1, ${size}, auto`, kind: 'stream.throughput', options: { size, codec: 'auto', ...window } },
      { id: 'raw-json', label: `raw socket, JSON-array ${frame} (ceiling)`, kind: 'raw.throughput', options: { size, codec: 'json', ...window } },
    ];
    const rows = [];
    if (size === 'small') rows.push({ ...rate, peer: 'auto', baseline: 'raw-json', note: 'goal ≥ 1.0' });
    else {
      // Larger items: auto may pick another codec than JSON; its ceiling is the raw socket with auto's choice.
      peers.push({ id: 'raw-auto', label: `raw socket, the codec auto picks, ${frame} (ceiling)`, kind: 'raw.throughput', options: { size, codec: 'auto', ...window } });
      rows.push({ ...rate, peer: 'auto', baseline: 'raw-auto' });
    }
    if (size === 'small' && python) {
      peers.push(
        { id: 'py-128', label: 'Python multiprocessing.Queue, lists of 128 per put', kind: 'python.mpQueue', options: { batch: 128, ...window } },
        { id: 'py-1', label: 'Python multiprocessing.Queue, one dict per put', kind: 'python.mpQueue', options: { batch: 1, ...window } },
      );
      rows.push({ ...rate, peer: 'auto', baseline: 'py-128', note: 'goal ≥ 1.0' }, { ...rate, peer: 'auto', baseline: 'py-1' });
    }
    if (!quick) {
      for (const codec of ['json', 'v8', 'superjson']) {
        peers.push(
          { id: codec, label: `prodcon 1→1, ${size}, ${codec}`, kind: 'stream.throughput', options: { size, codec, ...window } },
          ...(codec === 'json' ? [] : [{ id: `raw-${codec}`, label: `raw socket, ${codec} ${frame} (ceiling)`, kind: 'raw.throughput', options: { size, codec, ...window } }]),
        );
        rows.push({ ...rate, peer: codec, baseline: `raw-${codec}` });
      }
      peers.push(
        { id: 'send', label: 'process.send, 1 item/message', kind: 'raw.processSend', options: { size, ...window } },
        { id: 'relay', label: 'relay through the parent, 1 item/message', kind: 'raw.relay', options: { size, ...window } },
      );
      rows.push({ ...rate, peer: 'auto', baseline: 'send' }, { ...rate, peer: 'auto', baseline: 'relay' });
      if (size === 'small') {
        peers.push(
          { id: 'fan-out', label: 'fan-out 1→2, each subscriber', kind: 'stream.throughput', options: { consumers: 2, ...window } },
          { id: 'fan-in', label: 'fan-in 2→1, the consumer', kind: 'stream.throughput', options: { producers: 2, ...window } },
          { id: 'metrics', label: 'prodcon 1→1, small, auto, metrics on (interval 1 s, a listener)', kind: 'stream.throughput', options: { metricsInterval: 1000, ...window } },
        );
        rows.push(
          { ...rate, peer: 'fan-out', baseline: 'auto' },
          { ...rate, peer: 'fan-in', baseline: 'auto' },
          { ...rate, peer: 'metrics', baseline: 'auto', baselineLabel: 'metrics off (the 1→1 above)' },
        );
      }
    }
    list.push({ id: `stream-${size}`, section: `streaming child → child, ${size} items`, peers, rows });
  }

  // --- latency -----------------------------------------------------------------------------------------
  for (const latencyRate of quick ? [1000] : [1000, 10_000]) {
    const options = { rate: latencyRate, ...window };
    const percentilesShown = quick ? ['p50', 'p99'] : ['p50', 'p99', 'p999'];
    const goals = latencyRate === 1000 ? { p50: 'goal: within 0.05 ms', p99: 'goal ≤ 2.0' } : {};
    list.push({
      id: `latency-${latencyRate / 1000}k`,
      section: `latency @${latencyRate / 1000}k/s, work return → consumer work call`,
      peers: [
        { id: 'prodcon', label: 'prodcon', kind: 'latency.latency', options },
        { id: 'raw', label: 'raw socket, paced', kind: 'raw.latency', options },
      ],
      rows: [
        ...percentilesShown.map((metric) => ({ metric, unit: 'ms', peer: 'prodcon', baseline: 'raw', measure: `prodcon ${metric.replace('p999', 'p99.9')}`, note: metric === 'p50' ? undefined : goals[metric] })),
        { metric: 'p50', unit: 'ms', peer: 'prodcon', baseline: 'raw', compare: 'difference', measure: 'prodcon p50 − raw p50', note: goals.p50 },
        { metric: 'delivered', unit: 'items/s', peer: 'prodcon', measure: `prodcon delivered rate (asked ${latencyRate / 1000}k/s)` },
      ],
    });
  }

  // --- start-up ----------------------------------------------------------------------------------------
  list.push({
    id: 'start',
    section: 'start-up',
    peers: [
      { id: 'prodcon', label: 'prodcon', kind: 'start.prodcon', options: { warm: quick ? 3 : 5 } },
      { id: 'bare', label: 'bare fork', kind: 'start.bare', options: { warm: quick ? 3 : 5 } },
    ],
    rows: [
      { metric: 'warm', unit: 'ms', peer: 'prodcon', baseline: 'bare', measure: 'warm: await start() → onStart returned', baselineLabel: 'bare fork → first message (warm)', note: 'goal ≤ 1.3' },
      { metric: 'cold', unit: 'ms', peer: 'prodcon', baseline: 'bare', measure: 'cold: first start() in a fresh process', baselineLabel: 'first bare fork in a fresh process', note: 'goal ≤ 2.0' },
      { metric: 'coldWithImport', unit: 'ms', peer: 'prodcon', baseline: 'bare', baselineMetric: 'cold', measure: 'cold, with the import of @prodcon/core', baselineLabel: 'first bare fork in a fresh process' },
    ],
  });

  if (quick) return list;

  // --- Redis Streams, next to the local transport ----------------------------------------------------------
  if (redisUrl) {
    const redis = (options = {}) => ({ url: redisUrl, namespace: 'bench', ...options });
    list.push({
      id: 'redis',
      section: 'redis vs local, small, auto',
      peers: [
        { id: 'redis', label: 'Redis 1→1 lossless', kind: 'stream.throughput', options: { redis: redis(), ...window } },
        { id: 'local', label: 'local 1→1 lossless', kind: 'stream.throughput', options: { ...window } },
        { id: 'redis-lossy', label: 'Redis 1→1 lossy, cap 10,000 (exact), consumed', kind: 'stream.throughput', options: { redis: redis({ lossy: true }), ...window } },
        { id: 'local-lossy', label: 'local 1→1 lossy', kind: 'stream.throughput', options: { lossy: true, ...window } },
        { id: 'redis-pool', label: 'Redis pool of 3, lossless', kind: 'stream.throughput', options: { pool: 3, redis: redis(), ...window } },
        { id: 'local-pool', label: 'local pool of 3', kind: 'stream.throughput', options: { pool: 3, ...window } },
        { id: 'redis-latency', label: 'Redis latency @1k/s', kind: 'latency.latency', options: { rate: 1000, redis: redis(), ...window } },
        { id: 'local-latency', label: 'local latency @1k/s', kind: 'latency.latency', options: { rate: 1000, ...window } },
        { id: 'redelivery', label: "redelivery after a member's death", kind: 'redis.redelivery', options: redis() },
      ],
      rows: [
        { ...rate, peer: 'redis', baseline: 'local' },
        { ...rate, peer: 'redis-lossy', baseline: 'local-lossy' },
        { ...rate, peer: 'redis-pool', baseline: 'local-pool' },
        { metric: 'p50', unit: 'ms', peer: 'redis-latency', baseline: 'local-latency', measure: 'Redis latency @1k/s p50' },
        { metric: 'p99', unit: 'ms', peer: 'redis-latency', baseline: 'local-latency', measure: 'Redis latency @1k/s p99' },
        { metric: 'ms', unit: 'ms', peer: 'redelivery', note: 'bound: lease + checker period, 3000 ms' },
      ],
    });
  }

  // --- single figures: one run each (minutes long, nothing to alternate with) -----------------------------------
  list.push(
    {
      id: 'idle',
      section: 'idle',
      rounds: 1,
      peers: [{ id: 'idle', label: '1 Hz producer + idle consumer, CPU (after 10 s)', kind: 'misc.idleCpu', options: { seconds: 10, settleSeconds: 10 } }],
      rows: [{ metric: 'cpu', unit: '%', peer: 'idle', note: '% of one core, both children (resolution 0.10 %); one run' }],
    },
    {
      id: 'lossy-rss',
      section: 'lossy RSS',
      rounds: 1,
      peers: [{ id: 'rss', label: 'RSS, consumer ~10× slower, 30 s', kind: 'misc.lossyRss', options: { seconds: 30 } }],
      rows: [
        { metric: 'last', unit: 'MB', peer: 'rss', measure: 'RSS at the end of 30 s, a lossy pair, the consumer ~10× slower', baseline: 'rss', baselineMetric: 'first', baselineLabel: 'RSS at the start of the window', note: 'one run' },
      ],
    },
  );
  return list;
}
