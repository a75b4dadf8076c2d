/** What any process may ask of a queue: its flags, a clear, its figures. */

/** Sets 'ready' or 'closing' (ARGV[2]) to ARGV[3]; not ready clears what no host has read yet (counted). */
export const SET_FLAG = `
redis.call('HSET', M, ARGV[2], ARGV[3])
local cleared = 0
if ARGV[2] == 'ready' and ARGV[3] ~= '1' then cleared = clear_undelivered() end
redis.call('PUBLISH', CHANNEL, 'state')
return cleared
`;

/** Drops what no host has read yet (counted as cleared). */
export const CLEAR = `
return clear_undelivered()
`;

/** {hosted, ready, unread items, items holding capacity, d:lossy, d:refused, d:cleared, d:reset, d:writer}. */
export const STATS = `
local f = redis.call('HMGET', M, 'ready', 'count', 'd:lossy', 'd:refused', 'd:cleared', 'd:reset', 'd:writer', 'lossy')
local unread = 0
for _, e in ipairs(undelivered()) do unread = unread + items_of(e) end
local occupied = f[8] == '1' and unread or tonumber(f[2] or '0')
return {hosted(now_ms()) and 1 or 0, f[1] or '1', unread, occupied,
  tonumber(f[3] or '0'), tonumber(f[4] or '0'), tonumber(f[5] or '0'), tonumber(f[6] or '0'), tonumber(f[7] or '0')}
`;
