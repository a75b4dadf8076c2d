/**
 * The protocol between a queue's writers and the process that hosts it.
 *
 *   writer                                  host
 *     | -- open {queueId, writer, lossy} -->  |
 *     | <-- state {state, credits} ---------  |   ready / notReady / closing / gone
 *     | -- stamp [u64 ns] ------------------>  |   before each items frame: when it was sent (queue latency)
 *     | -- items [codec][values...] ------->  |   lossless: never more than the credits held
 *     | <-- grant {credits} ----------------  |   as the consumer takes items
 *     | -- end {} ------------------------->  |   after `closing`: nothing more will come
 *     | <-- revoke {keep} ------------------  |   a new writer needs a share: keep at most `keep`
 *     | -- returned {credits} ------------->  |   the credits given back
 *     | <-- ack {count} --------------------  |   acknowledging hosts: the oldest `count` items were consumed
 *
 * Lossless writers send only against credits (the host's free capacity, shared
 * between writers), so a stalled consumer stops its producers after `capacity`
 * items in flight. Lossy writers never wait: they keep a bounded outgoing
 * buffer and the host's ring drops its oldest items when full.
 *
 * The host verifies rather than trusts: `open` must come within 5 s and 8 KiB
 * (SocketServer), at most 1024 writers per queue, and a writer that sends
 * more items than it was ever granted is disconnected, its excess dropped
 * (`refused`). A writer sends items only after the host's first `state`, and
 * retries a connection refused or cut before that answer (HostDialer).
 */
export const QueueFrame = {
  open: 0x01,
  state: 0x02,
  grant: 0x03,
  items: 0x04,
  end: 0x05,
  revoke: 0x06,
  returned: 0x07,
  ack: 0x08,
  /** Writer → host, right before each `items` frame: when it was sent (8 bytes, ns on the monotonic clock). */
  stamp: 0x09,
} as const;

/** What a host tells its writers about the queue. */
export type HostState = 'ready' | 'notReady' | 'closing' | 'gone';

/** Writer → host, first frame of a connection: which queue, and who writes. */
export interface OpenMessage {
  queueId: string;
  /** Names the writer in warnings and drop accounting ("producer 'sensor'", "main process"). */
  writer: string;
  lossy: boolean;
}

/** Host → writer: the queue's state, at the connection's start and at every change. */
export interface StateMessage {
  state: HostState;
  /** Credits granted with this state change (lossless, ready). */
  credits?: number;
  /**
   * With `gone`: the items the host received from this writer in all. A lossy
   * writer (which has no acknowledgements) counts what it wrote beyond that as lost.
   */
  received?: number;
}

/** Host → writer: `credits` more items may be sent (lossless). */
export interface GrantMessage {
  credits: number;
}

/** Host → writer: keep at most `keep` credits and return the rest (answered by `returned`). */
export interface RevokeMessage {
  keep: number;
}

/** Writer → host: the credits given back after a revoke. */
export interface ReturnedMessage {
  credits: number;
}

/** Host → writer (acknowledging hosts): the writer's oldest `count` unacknowledged items were consumed. */
export interface AckMessage {
  count: number;
}
