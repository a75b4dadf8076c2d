import type { EngineBinding } from '@prodcon/ipc';

/**
 * The Redis keys of one queue. They share one hash tag (`{namespace:queue}`),
 * so that every script's keys live in one slot (Redis Cluster, later).
 *
 * - `s`  the stream: one entry per frame, fields n (items), c (codec id),
 *        p (payload), w (writer id), q (the writer's sequence number of the
 *        entry's last item); lossy entries (one item each) only c, p
 * - `m`  meta hash: capacity, lossy, ready, closing, count (items holding
 *        capacity), epoch (one per run of the queue), d:<cause> (drops, one
 *        count per DropCause of @prodcon/ipc: overflow, refused, cleared,
 *        stopped, lost)
 * - `h`  hosts: consumer id → lease expiry (server ms)
 * - `w`  writers: writer id → lease expiry; `we` the writers that ended
 * - `q`  writer id → the sequence number of its last admitted item (re-sent calls admit nothing twice)
 * - `rs` after a reset: writer id → the sequence number of its last item read
 * - channel `ev`: 'state' (hosts, ready, closing), 'room' (capacity freed), 'ended' (a writer ended),
 *        'lost <items> <host>...' (hosts whose lease expired), 'reset <epoch>' (re-created after a reset)
 */
export interface QueueKeys {
  readonly stream: string;
  readonly meta: string;
  readonly hosts: string;
  readonly writers: string;
  readonly ended: string;
  readonly admitted: string;
  readonly resetSeqs: string;
  readonly channel: string;
}

/** The consumer group every host of a queue reads through. */
export const GROUP = 'g';

export function queueKeys(binding: Pick<EngineBinding, 'namespace' | 'queue'>): QueueKeys {
  const base = `pc:{${binding.namespace}:${binding.queue}}:`;
  return {
    stream: `${base}s`,
    meta: `${base}m`,
    hosts: `${base}h`,
    writers: `${base}w`,
    ended: `${base}we`,
    admitted: `${base}q`,
    resetSeqs: `${base}rs`,
    channel: `${base}ev`,
  };
}

/** Every key of a queue, in the order the scripts take them (KEYS[1..7]). */
export function allKeys(keys: QueueKeys): string[] {
  return [keys.meta, keys.stream, keys.hosts, keys.writers, keys.ended, keys.admitted, keys.resetSeqs];
}
