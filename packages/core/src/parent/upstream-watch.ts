/** What the watch needs of an upstream worker. */
interface Upstream {
  readonly finishedRuns: number;
  readonly status: string;
  on(event: 'state', listener: (state: string) => void): unknown;
  off(event: 'state', listener: (state: string) => void): unknown;
}

/**
 * Watches the workers that write into a queue and calls `onEnded` once, when
 * every one of them has finished a run that was under way (or began) after
 * the watch started: the end of the stream for whoever consumes the queue.
 * A queue with no upstream in this process never ends this way, unless an
 * engine keeps it: then its writers on every host are watched there.
 */
export function watchUpstreams(
  queue: { readonly upstreams: ReadonlySet<object>; readonly backend?: { watchWritersEnded?(onEnded: () => void): () => void } },
  onEnded: () => void,
): () => void {
  const upstreams = [...queue.upstreams] as Upstream[];
  if (upstreams.length === 0) return queue.backend?.watchWritersEnded?.(onEnded) ?? (() => {});
  const baseline = new Map(upstreams.map((upstream) => [upstream, upstream.finishedRuns]));
  let fired = false;
  const check = () => {
    if (fired) return;
    const ended = upstreams.every((upstream) => upstream.status === 'stopped' && upstream.finishedRuns > baseline.get(upstream)!);
    if (!ended) return;
    fired = true;
    stop();
    onEnded();
  };
  const listener = (state: string) => {
    if (state === 'stopped') queueMicrotask(check);
  };
  for (const upstream of upstreams) upstream.on('state', listener);
  const stop = () => {
    for (const upstream of upstreams) upstream.off('state', listener);
  };
  return stop;
}
