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

/** {hosted, ready, unread items, items holding capacity, drops by cause}. */
export const STATS = `
local f = redis.call('HMGET', M, 'ready', 'count', 'lossy')
local unread = 0
for _, e in ipairs(undelivered()) do unread = unread + items_of(e) end
local occupied = f[3] == '1' and unread or tonumber(f[2] or '0')
return {hosted(now_ms()) and 1 or 0, f[1] or '1', unread, occupied, drop_counts()}
`;
