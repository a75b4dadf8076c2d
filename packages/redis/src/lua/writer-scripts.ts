/**
 * Writer side. ARGV[2..5] of admit and append: writer id, lease (ms), the
 * drops the writer counted itself since its last call (a drop list, pushed
 * into the engine's counters), entry count. Both answer
 * {status, entries admitted, free room | items trimmed, epoch, drops by cause, closing, reset seq}.
 */

/** Lossless: admits whole entries while they fit in the free room (capacity − count), in order. */
export const ADMIT = `
local writer, lease = ARGV[2], tonumber(ARGV[3])
local f, now, status, last = writer_start()
if not f then return NO_QUEUE end
local capacity, count = tonumber(f[2]), tonumber(f[3])
local admitted, refused = 0, 0
for i = 0, tonumber(ARGV[5]) - 1 do
  local base = 6 + i * 4
  local n = tonumber(ARGV[base + 1])
  local seq = tonumber(ARGV[base]) + n - 1
  if seq <= last then
    admitted = admitted + 1 -- admitted by an earlier call whose answer was lost: not twice
  elseif status ~= 'ready' then
    refused = refused + n
  elseif count + n <= capacity then
    redis.call('XADD', S, '*', 'n', n, 'c', ARGV[base + 2], 'p', ARGV[base + 3], 'w', writer, 'q', seq)
    count = count + n
    last = seq
    admitted = admitted + 1
  else
    break
  end
end
if status == 'ready' then
  redis.call('ZADD', W, now + lease, writer)
  redis.call('HSET', M, 'count', count)
  redis.call('HSET', Q, writer, last)
end
add_drops('refused', refused)
return {status, admitted, capacity - count, f[1], drop_counts(), tonumber(f[5] or '0'), reset_seq(writer)}
`;

/**
 * Lossy: one entry per item; entries already read are deleted first, then
 * the stream is trimmed to exactly `capacity` unread items: every item
 * trimmed is a drop (d:overflow). ARGV[6]: the first item's sequence number,
 * ARGV[7] the codec, ARGV[8] the byte length of each item's payload
 * (comma-separated), ARGV[9] the payloads end to end: two arguments
 * instead of two per item, which is where a large call spends its time.
 * Lossy entries carry only c and p: a consumer reads them by the ten
 * thousand, and what a reset loses of a lossy queue is a loss it allows.
 */
export const APPEND = `
local writer, lease = ARGV[2], tonumber(ARGV[3])
local f, now, status, last = writer_start()
if not f then return NO_QUEUE end
local k, first = tonumber(ARGV[5]), tonumber(ARGV[6])
local trimmed = 0
if status == 'ready' then
  local read = last_delivered()
  if read ~= '0-0' then
    local ms, seq = string.match(read, '(%d+)-(%d+)')
    redis.call('XTRIM', S, 'MINID', '=', ms .. '-' .. string.format('%d', tonumber(seq) + 1))
  end
  local codec, blob, at, i = ARGV[7], ARGV[9], 1, 0
  for length in string.gmatch(ARGV[8], '%d+') do
    local next_at = at + tonumber(length)
    if first + i > last then
      redis.call('XADD', S, '*', 'c', codec, 'p', string.sub(blob, at, next_at - 1))
    end
    at = next_at
    i = i + 1
  end
  if first + k - 1 > last then last = first + k - 1 end
  trimmed = redis.call('XTRIM', S, 'MAXLEN', '=', tonumber(f[2]))
  add_drops('overflow', trimmed)
  redis.call('ZADD', W, now + lease, writer)
  redis.call('HSET', Q, writer, last)
else
  add_drops('refused', k)
end
return {status, status == 'ready' and k or 0, trimmed, f[1], drop_counts(), tonumber(f[5] or '0'), reset_seq(writer)}
`;

/** The writer will send nothing more (ARGV[2]); its last drops come along (ARGV[3], a drop list). */
export const END_WRITER = `
if not redis.call('HGET', M, 'epoch') then return 0 end
add_drop_list(ARGV[3])
redis.call('SADD', WE, ARGV[2])
redis.call('PUBLISH', CHANNEL, 'ended')
return 1
`;
