/** Host (consumer) side: a run of the queue, leases, acknowledgements, redelivery, the end of the writers. */

/**
 * A host joins. The first host after a run that ended (its last host
 * stopped) forgets what that run left (counted as stopped) and starts a new
 * epoch; a host joining a run whose hosts died instead carries it on (the
 * checker hands their entries to it: at-least-once). ARGV: member, lease,
 * capacity, lossy, epoch token, ready flag for a new queue, reset flag, then
 * pairs (writer, last sequence number read) after a reset.
 * Answers {epoch, ready, closing, drops by cause}.
 */
export const HOST_START = `
local now = now_ms()
local epoch = redis.call('HGET', M, 'epoch')
if (not epoch) or (redis.call('HGET', M, 'over') == '1' and not hosted(now)) then
  if epoch then add_drops('stopped', leftover()) end
  redis.call('DEL', S, W, WE, Q, H, RS)
  redis.call('HSET', M, 'epoch', ARGV[6], 'capacity', ARGV[4], 'lossy', ARGV[5], 'count', 0, 'closing', 0, 'reset', ARGV[8], 'over', 0)
  if redis.call('HEXISTS', M, 'ready') == 0 then redis.call('HSET', M, 'ready', ARGV[7]) end
  redis.call('XGROUP', 'CREATE', S, 'g', '0', 'MKSTREAM')
  epoch = ARGV[6]
end
for i = 9, #ARGV, 2 do
  if tonumber(ARGV[i + 1]) > tonumber(redis.call('HGET', RS, ARGV[i]) or '0') then redis.call('HSET', RS, ARGV[i], ARGV[i + 1]) end
end
redis.call('ZADD', H, now + tonumber(ARGV[3]), ARGV[2])
redis.call('PUBLISH', CHANNEL, 'state')
if ARGV[8] == '1' then redis.call('PUBLISH', CHANNEL, 'reset ' .. epoch) end
local f = redis.call('HMGET', M, 'ready', 'closing')
return {epoch, f[1] or '1', f[2] or '0', drop_counts()}
`;

/** Renews a host's lease (ARGV: member, lease, epoch). {'reset'} when the queue's run is not ours any more. */
export const HOST_RENEW = `
local f = redis.call('HMGET', M, 'epoch', 'ready', 'closing', 'count')
if f[1] ~= ARGV[4] then return {'reset', '0', '0', {0, 0, 0, 0, 0}, 0} end
redis.call('ZADD', H, now_ms() + tonumber(ARGV[3]), ARGV[2])
return {'ok', f[2] or '1', f[3] or '0', drop_counts(), tonumber(f[4] or '0')}
`;

/**
 * A host leaves (ARGV: member, epoch). The last one ends the run: what is
 * still queued is counted as stopped (its consumers stopped) and the queue
 * is emptied. Answers {items dropped, drops by cause}.
 */
export const HOST_STOP = `
redis.call('ZREM', H, ARGV[2])
redis.pcall('XGROUP', 'DELCONSUMER', S, 'g', ARGV[2])
local left = 0
if redis.call('HGET', M, 'epoch') == ARGV[3] and not hosted(now_ms()) then
  left = leftover()
  add_drops('stopped', left)
  redis.call('DEL', S, W, WE, Q)
  redis.call('HSET', M, 'count', 0, 'closing', 0, 'over', 1)
end
redis.call('PUBLISH', CHANNEL, 'state')
return {left, drop_counts()}
`;

/**
 * Room freed (ARGV[2]: a drop list of the items the host dropped), then triples
 * (entry id, items, whole). A whole entry is done with: XACK, then XDEL and
 * free its room, only if the group still had it pending (a late
 * acknowledgement after a redelivery frees nothing twice). Otherwise only
 * the room of `items` of it is freed (a plain consumer took them). Wakes
 * waiting writers when room was scarce.
 */
export const ACK = `
add_drop_list(ARGV[2])
local freed = 0
for i = 3, #ARGV, 3 do
  if ARGV[i + 2] ~= '1' then
    freed = freed + tonumber(ARGV[i + 1])
  elseif redis.call('XACK', S, 'g', ARGV[i]) == 1 then
    redis.call('XDEL', S, ARGV[i])
    freed = freed + tonumber(ARGV[i + 1])
  end
end
if freed > 0 then
  local capacity = tonumber(redis.call('HGET', M, 'capacity') or '0')
  local count = redis.call('HINCRBY', M, 'count', -freed)
  if (count + freed) * 2 >= capacity then redis.call('PUBLISH', CHANNEL, 'room') end
end
return {freed, drop_counts()}
`;

/**
 * The checker: hosts whose lease expired are dead; the entries they had
 * read and not acknowledged go back to the end of the stream for the live
 * hosts (at-least-once); writers whose lease expired are forgotten.
 * Answers {dead hosts, entries moved, items moved, writers forgotten, dead names...}.
 */
export const CLAIM = `
local now = now_ms()
local dead = redis.call('ZRANGEBYSCORE', H, '-inf', '(' .. now)
local moved, items = 0, 0
for _, member in ipairs(dead) do
  local pending = redis.pcall('XPENDING', S, 'g', '-', '+', 1000000, member)
  if type(pending) == 'table' and not pending.err then
    for _, p in ipairs(pending) do
      local e = redis.call('XRANGE', S, p[1], p[1])
      if #e > 0 then
        redis.call('XADD', S, '*', unpack(e[1][2]))
        items = items + items_of(e[1])
        moved = moved + 1
      end
      redis.call('XACK', S, 'g', p[1])
      redis.call('XDEL', S, p[1])
    end
  end
  redis.pcall('XGROUP', 'DELCONSUMER', S, 'g', member)
  redis.call('ZREM', H, member)
end
local forgotten = redis.call('ZREMRANGEBYSCORE', W, '-inf', '(' .. now)
if #dead > 0 or forgotten > 0 then redis.call('PUBLISH', CHANNEL, 'state') end
if #dead > 0 then redis.call('PUBLISH', CHANNEL, 'lost ' .. items .. ' ' .. table.concat(dead, ' ')) end
local answer = {#dead, moved, items, forgotten}
for _, member in ipairs(dead) do answer[#answer + 1] = member end
return answer
`;

/**
 * Whether a drain is over for host ARGV[2]: {writers still open (registered,
 * lease alive, not ended), 1 when an entry is left that no host has read,
 * entries other hosts read and did not acknowledge yet, writers that ended}.
 * The third figure keeps a pool member draining while another may still
 * die and leave its entries to the live ones.
 */
export const WRITERS_OPEN = `
redis.call('ZREMRANGEBYSCORE', W, '-inf', '(' .. now_ms())
local open = 0
for _, writer in ipairs(redis.call('ZRANGE', W, 0, -1)) do
  if redis.call('SISMEMBER', WE, writer) == 0 then open = open + 1 end
end
local others = 0
local summary = redis.pcall('XPENDING', S, 'g')
if type(summary) == 'table' and not summary.err and summary[4] then
  for _, consumer in ipairs(summary[4]) do
    if consumer[1] ~= ARGV[2] then others = others + tonumber(consumer[2]) end
  end
end
return {open, #redis.call('XRANGE', S, '(' .. last_delivered(), '+', 'COUNT', 1), others, redis.call('SCARD', WE)}
`;
