import { ADMIT, APPEND, END_WRITER } from './writer-scripts.js';
import { ACK, CLAIM, HOST_RENEW, HOST_START, HOST_STOP, WRITERS_OPEN } from './host-scripts.js';
import { CLEAR, SET_FLAG, STATS } from './admin-scripts.js';
import { PRELUDE } from './prelude.js';

/** Every script of the transport by name; each takes the queue's seven keys (keys.ts) and the channel as ARGV[1]. */
export const SCRIPTS = {
  pcAdmit: ADMIT,
  pcAppend: APPEND,
  pcEndWriter: END_WRITER,
  pcHostStart: HOST_START,
  pcHostRenew: HOST_RENEW,
  pcHostStop: HOST_STOP,
  pcAck: ACK,
  pcClaim: CLAIM,
  pcWritersOpen: WRITERS_OPEN,
  pcSetFlag: SET_FLAG,
  pcClear: CLEAR,
  pcStats: STATS,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/** A script's full source: the prelude, then its body. */
export function scriptSource(name: ScriptName): string {
  return PRELUDE + SCRIPTS[name];
}
