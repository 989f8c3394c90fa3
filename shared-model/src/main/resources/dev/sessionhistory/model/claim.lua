-- claim.lua: the worker claims an ended instance for archiving (layout v1, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[4] claim key     PREFIX:{CODE}:SID:claim
-- ARGV[1] session id
-- ARGV[2] worker id
-- ARGV[3] claim TTL, milliseconds
-- Returns {'LIVE', remaining TTL ms} while the instance is live; {'GONE'} when it has no
-- data; {'BUSY', holder} when another worker holds the claim; else
-- {'CLAIMED', meta values in SessionMeta.FIELDS order..., messages...}.
-- Claiming an expired instance records status 'ended', endedAt = expiresAt and
-- endReason 'expired'. The instance no longer changes once ended: appends need the live key.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return {'LIVE', redis.call('PTTL', KEYS[1])}
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {'GONE'}
end
if not redis.call('SET', KEYS[4], ARGV[2], 'NX', 'PX', ARGV[3]) then
  local holder = redis.call('GET', KEYS[4])
  if holder ~= ARGV[2] then
    return {'BUSY', holder}
  end
  redis.call('PEXPIRE', KEYS[4], ARGV[3])
end
if redis.call('HGET', KEYS[2], 'status') ~= 'ended' then
  redis.call('HSET', KEYS[2], 'status', 'ended', 'endedAt', redis.call('HGET', KEYS[2], 'expiresAt'),
    'endReason', 'expired')
end
local out = {'CLAIMED'}
local meta = redis.call('HMGET', KEYS[2], 'sessionId', 'code', 'createdAt', 'ttlMillis', 'expiresAt',
  'status', 'endedAt', 'endReason', 'metadata')
for i = 1, #meta do
  out[#out + 1] = meta[i]
end
local messages = redis.call('LRANGE', KEYS[3], 0, -1)
for i = 1, #messages do
  out[#out + 1] = messages[i]
end
return out
