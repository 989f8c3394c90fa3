-- read.lua: one consistent page of a session instance's history (layout 2, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- ARGV[1] layout version '2'
-- ARGV[2] session id
-- ARGV[3] mode: 'latest', 'after' or 'before'
-- ARGV[4] cursor seq (ignored for 'latest')
-- ARGV[5] page size, 0 to 1000 (0: the meta only)
-- ARGV[6] most bytes of messages in the page; its first message comes whatever its size
-- Returns {} when the instance has no meta, else
-- {live (1|0), total, hasMore (1|0), first seq of the page or 0, meta values in
--  SessionMeta.FIELDS order..., messages...}
-- The page keeps the messages nearest its cursor: for 'after' the lowest seqs, for
-- 'before' and 'latest' the highest; it stops early, with hasMore 1, when the next
-- message would pass the byte limit.
check_version('read.lua', 3, 6)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
check_key(3, code, ':' .. sid .. ':msgs')
local mode = ARGV[3]
if mode ~= 'latest' and mode ~= 'after' and mode ~= 'before' then
  fail('mode must be latest, after or before, got ' .. string.format('%q', mode))
end
local cursor = check_integer('cursor', ARGV[4], 0, 2^50)
local limit = check_integer('page size', ARGV[5], 0, 1000)
local max_bytes = check_integer('page bytes', ARGV[6], 1, 1e9)

if redis.call('EXISTS', KEYS[2]) == 0 then
  return {}
end
local live = 0
if redis.call('GET', KEYS[1]) == sid then
  live = 1
end
local total = redis.call('LLEN', KEYS[3])
-- The candidates are the 0-based indexes [from, to) by count alone, as before.
local from, to
if mode == 'after' then
  from = math.min(cursor, total)
  to = math.min(cursor + limit, total)
elseif mode == 'before' then
  to = math.max(math.min(cursor - 1, total), 0)
  from = math.max(to - limit, 0)
else
  to = total
  from = math.max(total - limit, 0)
end
local page = {}
local bytes = 0
if from < to and mode == 'after' then
  local at = from
  while at < to do
    local part = redis.call('LRANGE', KEYS[3], at, math.min(at + 31, to - 1))
    if #part == 0 then
      break
    end
    local full = false
    for i = 1, #part do
      if #page > 0 and bytes + #part[i] > max_bytes then
        full = true
        break
      end
      bytes = bytes + #part[i]
      page[#page + 1] = part[i]
    end
    if full then
      break
    end
    at = at + #part
  end
  to = from + #page
elseif from < to then
  local reversed = {}
  local at = to
  while at > from do
    local low = math.max(at - 32, from)
    local part = redis.call('LRANGE', KEYS[3], low, at - 1)
    if #part == 0 then
      break
    end
    local full = false
    for i = #part, 1, -1 do
      if #reversed > 0 and bytes + #part[i] > max_bytes then
        full = true
        break
      end
      bytes = bytes + #part[i]
      reversed[#reversed + 1] = part[i]
    end
    if full then
      break
    end
    at = low
  end
  from = to - #reversed
  for i = #reversed, 1, -1 do
    page[#page + 1] = reversed[i]
  end
end
local more
if mode == 'after' then
  more = to < total
else
  more = from > 0
end
local out = {live, total, more and 1 or 0, 0}
local meta = redis.call('HMGET', KEYS[2], 'sessionId', 'code', 'createdAt', 'ttlMillis', 'expiresAt',
  'status', 'endedAt', 'endReason', 'metadata', 'bytes', 'layout')
for i = 1, #meta do
  out[#out + 1] = meta[i]
end
if #page > 0 then
  out[4] = from + 1
  for i = 1, #page do
    out[#out + 1] = page[i]
  end
end
return out
