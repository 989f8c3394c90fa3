-- read.lua: one consistent page of a session instance's history (layout v1, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- ARGV[1] session id
-- ARGV[2] mode: 'latest', 'after' or 'before'
-- ARGV[3] cursor seq (ignored for 'latest')
-- ARGV[4] page size
-- Returns {} when the instance has no meta, else
-- {live (1|0), total, hasMore (1|0), first seq of the page or 0, meta values in
--  SessionMeta.FIELDS order..., messages...}
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {}
end
local live = 0
if redis.call('GET', KEYS[1]) == ARGV[1] then
  live = 1
end
local total = redis.call('LLEN', KEYS[3])
local mode = ARGV[2]
local cursor = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local from, to, more
if mode == 'after' then
  from = cursor
  to = math.min(cursor + limit, total)
  more = to < total
elseif mode == 'before' then
  to = math.min(cursor - 1, total)
  from = math.max(to - limit, 0)
  more = from > 0
else
  to = total
  from = math.max(total - limit, 0)
  more = from > 0
end
local out = {live, total, more and 1 or 0, 0}
local meta = redis.call('HMGET', KEYS[2], 'sessionId', 'code', 'createdAt', 'ttlMillis', 'expiresAt',
  'status', 'endedAt', 'endReason', 'metadata')
for i = 1, #meta do
  out[#out + 1] = meta[i]
end
if from < to then
  out[4] = from + 1
  local page = redis.call('LRANGE', KEYS[3], from, to - 1)
  for i = 1, #page do
    out[#out + 1] = page[i]
  end
end
return out
