-- read.lua: one consistent page of a session instance's history (layout 4, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] pending set   PREFIX:{CODE}:pending
-- KEYS[3] meta hash     PREFIX:{CODE}:SID:meta   (KEYS[3] and KEYS[4] are left out when
-- KEYS[4] message list  PREFIX:{CODE}:SID:msgs    ARGV[2] is '')
-- ARGV[1] layout version '4'
-- ARGV[2] SID, the session id of KEYS[3] and KEYS[4]; '' (with 'current' only) when the
--         caller knows no instance of the code
-- ARGV[3] which instance: 'this' for SID, live or ended; 'current' for the code's current
--         instance: the live one, else the latest pending one by createdAt
-- ARGV[4] mode: 'latest', 'after' or 'before'
-- ARGV[5] cursor seq (ignored for 'latest')
-- ARGV[6] page size, 0 to 1000 (0: the meta only)
-- ARGV[7] most bytes of messages in the page; its first message comes whatever its size
-- Returns
--   {'PAGE', live (1|0), total, hasMore (1|0), first seq of the page or 0,
--    meta values in SessionMeta.FIELDS order..., messages...}: SID's page;
--   {'NONE'}: SID has no meta ('this'), or the code has no live key and no pending
--    instance ('current');
--   {'CURRENT', id}: ('current') the current instance is id, not SID: read it with 'this';
--   {'PENDING', id, id...}: ('current') none is live and 2 to 16 pending instances are
--    looked at: the caller reads their createdAt and reads the latest with 'this'.
-- The page keeps the messages nearest its cursor: for 'after' the lowest seqs, for
-- 'before' and 'latest' the highest; it stops early, with hasMore 1, when the next
-- message would pass the byte limit.
--
-- Why 'current' needs the caller's SID. On Redis Cluster a script may touch only the keys
-- it is given (KEYS routes the call and, while a slot migrates, tells Redis which keys must
-- be there): it may not build the meta and list keys of the id it finds in the live key,
-- even in the same slot. So the caller passes the keys of the instance it expects (the
-- API remembers the last current instance of each code it has seen): when that is the
-- current one, as it is for every read of a live session but the first, the page comes in
-- this one round trip; otherwise the script names the current instance and the caller
-- reads it with 'this', one more round trip, only after a code got a new instance or an
-- ended one waits for its archive. Several pending instances (a foreign writer's, at most
-- 16 looked at) cannot be ordered without their meta hashes, so they are listed instead.
local with_sid = ARGV[2] ~= ''
check_version('read.lua', with_sid and 4 or 2, 7)
local which = ARGV[3]
if which ~= 'this' and which ~= 'current' then
  fail('which must be this or current, got ' .. string.format('%q', tostring(which)))
end
local sid = ARGV[2]
if with_sid then
  check_session_id(sid)
elseif which == 'this' then
  fail('this needs a session id')
end
local code = code_of(KEYS[1])
check_key(1, code, ':live')
check_key(2, code, ':pending')
if with_sid then
  check_key(3, code, ':' .. sid .. ':meta')
  check_key(4, code, ':' .. sid .. ':msgs')
end
local mode = ARGV[4]
if mode ~= 'latest' and mode ~= 'after' and mode ~= 'before' then
  fail('mode must be latest, after or before, got ' .. string.format('%q', mode))
end
local cursor = check_integer('cursor', ARGV[5], 0, 2^50)
local limit = check_integer('page size', ARGV[6], 0, 1000)
local max_bytes = check_integer('page bytes', ARGV[7], 1, 1e9)

local live_id = redis.call('GET', KEYS[1])
if which == 'current' then
  local current = live_id
  if not current then
    local ids = {}
    for _, member in ipairs(redis.call('SRANDMEMBER', KEYS[2], 16)) do
      if is_session_id(member) then
        ids[#ids + 1] = member
      end
    end
    if #ids == 0 then
      return {'NONE'}
    end
    if #ids > 1 then
      table.insert(ids, 1, 'PENDING')
      return ids
    end
    current = ids[1]
  end
  if current ~= sid then
    return {'CURRENT', current}
  end
end
if redis.call('EXISTS', KEYS[3]) == 0 then
  return {'NONE'}
end
local live = 0
if live_id == sid then
  live = 1
end
local total = redis.call('LLEN', KEYS[4])
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
    local part = redis.call('LRANGE', KEYS[4], at, math.min(at + 31, to - 1))
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
    local part = redis.call('LRANGE', KEYS[4], low, at - 1)
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
local out = {'PAGE', live, total, more and 1 or 0, 0}
local meta = redis.call('HMGET', KEYS[3], 'sessionId', 'code', 'createdAt', 'ttlMillis', 'expiresAt',
  'status', 'endedAt', 'endReason', 'metadata', 'bytes', 'layout', 'owner', 'tokenEpoch')
for i = 1, #meta do
  out[#out + 1] = meta[i]
end
if #page > 0 then
  out[5] = from + 1
  for i = 1, #page do
    out[#out + 1] = page[i]
  end
end
return out
