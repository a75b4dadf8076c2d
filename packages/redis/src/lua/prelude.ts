/**
 * What every script starts with: the queue's keys by name (KEYS[1..7], see
 * keys.ts), the event channel (ARGV[1]) and small helpers. Scripts are
 * atomic, so each multi-key change below is one call.
 */
export const PRELUDE = `
local M, S, H, W, WE, Q, RS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local CHANNEL = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- The drop causes (DropCause of @prodcon/ipc), in the order their counts travel; M counts each as d:<cause>.
local CAUSES = {'overflow', 'refused', 'cleared', 'stopped', 'lost'}
-- The queue's drops, one count per cause in CAUSES order.
local function drop_counts()
  local f = redis.call('HMGET', M, 'd:overflow', 'd:refused', 'd:cleared', 'd:stopped', 'd:lost')
  for i = 1, 5 do f[i] = tonumber(f[i] or '0') end
  return f
end
local function hosted(now)
  return redis.call('ZCOUNT', H, now, '+inf') > 0
end
-- The id of the last entry the group handed out ('0-0' when none, or no group yet).
local function last_delivered()
  local groups = redis.pcall('XINFO', 'GROUPS', S)
  if type(groups) ~= 'table' or groups.err then return '0-0' end
  for _, g in ipairs(groups) do
    local name, id
    for i = 1, #g, 2 do
      if g[i] == 'name' then name = g[i + 1] elseif g[i] == 'last-delivered-id' then id = g[i + 1] end
    end
    if name == 'g' then return id end
  end
  return '0-0'
end
-- Items in entry e (lossy entries hold one and say nothing: two fields less to read, by the ten thousand).
local function items_of(e)
  if e[2][1] == 'n' then return tonumber(e[2][2]) end
  return 1
end
local function undelivered()
  return redis.call('XRANGE', S, '(' .. last_delivered(), '+')
end
-- Deletes the entries no host has read yet; counts their items as cleared.
local function clear_undelivered()
  local items = 0
  for _, e in ipairs(undelivered()) do
    items = items + items_of(e)
    redis.call('XDEL', S, e[1])
  end
  if items > 0 then
    redis.call('HINCRBY', M, 'd:cleared', items)
    if redis.call('HGET', M, 'lossy') ~= '1' then redis.call('HINCRBY', M, 'count', -items) end
  end
  return items
end
-- Items a run leaves behind: lossless, every item holding capacity; lossy, the unread ones.
local function leftover()
  if redis.call('HGET', M, 'lossy') == '1' then return #undelivered() end
  return tonumber(redis.call('HGET', M, 'count') or '0')
end
local function add_drops(cause, n)
  n = tonumber(n)
  if n > 0 then redis.call('HINCRBY', M, 'd:' .. cause, n) end
end
-- Drops a process counted itself: 'n1,n2,n3,n4,n5', one count per cause in CAUSES order.
local function add_drop_list(list)
  local i = 1
  for n in string.gmatch(list, '%d+') do
    add_drops(CAUSES[i], n)
    i = i + 1
  end
end
-- What a writer may do now: unbound (the run is over: its last host stopped), lapsed (no live host, but the run
-- is not over: a host's lease ran out in an outage, or it died; writers wait for it), notReady, ended, closing
-- (draining: only registered writers flush), ready.
local function writer_status(writer, now, ready, closing)
  if not hosted(now) then
    if redis.call('HGET', M, 'over') == '1' then return 'unbound' end
    return 'lapsed'
  end
  if ready ~= '1' then return 'notReady' end
  if redis.call('SISMEMBER', WE, writer) == 1 then return 'ended' end
  if closing == '1' and not redis.call('ZSCORE', W, writer) then return 'closing' end
  return 'ready'
end
-- The start of admit and append for writer ARGV[2]: the queue's fields (epoch, capacity, count, ready,
-- closing), or nil when the queue does not exist; the writer's own drops (ARGV[4], a drop list) are counted.
-- Also: now, the writer's status, the sequence number of its last admitted item.
local function writer_start()
  local f = redis.call('HMGET', M, 'epoch', 'capacity', 'count', 'ready', 'closing')
  if not f[1] then return nil end
  add_drop_list(ARGV[4])
  local now = now_ms()
  return f, now, writer_status(ARGV[2], now, f[4], f[5]), tonumber(redis.call('HGET', Q, ARGV[2]) or '0')
end
local NO_QUEUE = {'nometa', 0, 0, '', {0, 0, 0, 0, 0}, 0, ''}
-- After a reset: the writer's last item that a host read (or '' when the queue was not reset).
local function reset_seq(writer)
  if redis.call('HGET', M, 'reset') ~= '1' then return '' end
  return redis.call('HGET', RS, writer) or '0'
end
`;
