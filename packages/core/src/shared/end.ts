/**
 * What a producer's `work` returns to say the stream is over: the producer
 * stops after this call (as if `work` had called `ctx.stop()`), its onStop
 * runs, and its subscribers learn that nothing more will come from it.
 * Consumers and pools with `stopWhenUpstreamEnds` drain and stop once all
 * their producers ended.
 */
export const END: unique symbol = Symbol.for('prodcon.end') as never;
