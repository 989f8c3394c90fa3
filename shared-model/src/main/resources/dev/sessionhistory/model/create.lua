-- create.lua: creates a session instance, atomically (layout v1, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] pending set   PREFIX:{CODE}:pending
-- ARGV[1] session id (a new UUID)
-- ARGV[2] code
-- ARGV[3] now, epoch milliseconds
-- ARGV[4] idle TTL, milliseconds (>= 1000)
-- ARGV[5] metadata as a JSON object text, or '' for none
-- ARGV[6] safety TTL, seconds: how long data outlives the live key if no worker archives it
-- Returns 'OK'; 'LIVE' if the code has a live session; 'PENDING' if an ended instance of
-- the code still waits for its archive.
-- After OK the caller adds 'CODE SID' to PREFIX:due (a separate, single-key command).
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 'LIVE'
end
if redis.call('SCARD', KEYS[3]) > 0 then
  return 'PENDING'
end
local now = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local keep = math.floor(ttl / 1000) + tonumber(ARGV[6])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('HSET', KEYS[2], 'sessionId', ARGV[1], 'code', ARGV[2],
  'createdAt', string.format('%.0f', now), 'ttlMillis', string.format('%.0f', ttl),
  'expiresAt', string.format('%.0f', now + ttl), 'status', 'active')
if ARGV[5] ~= '' then
  redis.call('HSET', KEYS[2], 'metadata', ARGV[5])
end
redis.call('EXPIRE', KEYS[2], keep)
redis.call('SADD', KEYS[3], ARGV[1])
-- The pending set must outlive every instance it lists (older ones may still wait).
local left = redis.call('TTL', KEYS[3])
if left < keep then
  redis.call('EXPIRE', KEYS[3], keep)
end
return 'OK'
