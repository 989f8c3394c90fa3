-- claim.lua: the worker claims an ended instance for archiving (layout 4, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[4] claim key     PREFIX:{CODE}:SID:claim
-- ARGV[1] layout version '4'
-- ARGV[2] session id
-- ARGV[3] worker id (1 to 200 bytes)
-- ARGV[4] claim TTL, milliseconds
-- Returns {'LIVE', remaining TTL ms} while the instance is live; {'GONE'} when it has no
-- data; {'BUSY', holder} when another worker holds the claim; else
-- {'CLAIMED', message count, meta values in SessionMeta.FIELDS order...}. The messages
-- are not returned: the worker reads them with slice.lua in bounded windows, so no
-- reply depends on the size of a session. The participants (PREFIX:{CODE}:SID:users) are
-- not returned either: the worker reads them with HSCAN in bounded windows.
-- Claiming an expired instance records status 'ended', endedAt = expiresAt and
-- endReason 'expired'. The instance no longer changes once ended: appends need the live key.
check_version('claim.lua', 4, 4)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
check_key(3, code, ':' .. sid .. ':msgs')
check_key(4, code, ':' .. sid .. ':claim')
local worker = ARGV[3]
if #worker < 1 or #worker > 200 then
  fail('worker id must be 1 to 200 bytes long')
end
local claim_ttl = check_integer('claim TTL', ARGV[4], 1000, 86400000)

if redis.call('GET', KEYS[1]) == sid then
  return {'LIVE', redis.call('PTTL', KEYS[1])}
end
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {'GONE'}
end
if not redis.call('SET', KEYS[4], worker, 'NX', 'PX', ARGV[4]) then
  local holder = redis.call('GET', KEYS[4])
  if holder ~= worker then
    return {'BUSY', holder}
  end
  redis.call('PEXPIRE', KEYS[4], ARGV[4])
end
if redis.call('HGET', KEYS[2], 'status') ~= 'ended' then
  redis.call('HSET', KEYS[2], 'status', 'ended', 'endedAt', redis.call('HGET', KEYS[2], 'expiresAt') or '',
    'endReason', 'expired')
end
local count = 0
if redis.call('TYPE', KEYS[3]).ok == 'list' then
  count = redis.call('LLEN', KEYS[3])
elseif redis.call('EXISTS', KEYS[3]) == 1 then
  fail(KEYS[3] .. ' is not a list')
end
local out = {'CLAIMED', count}
local meta = redis.call('HMGET', KEYS[2], 'sessionId', 'code', 'createdAt', 'ttlMillis', 'expiresAt',
  'status', 'endedAt', 'endReason', 'metadata', 'bytes', 'layout', 'owner', 'tokenEpoch')
for i = 1, #meta do
  out[#out + 1] = meta[i]
end
return out
