-- end.lua: ends a live session explicitly, atomically (layout 4, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- ARGV[1] layout version '4'
-- ARGV[2] session id
-- ARGV[3] now, epoch milliseconds
-- ARGV[4] events channel PREFIX:events
-- Returns 'ENDED' when this call ended it (and published 'CODE SID' on the channel),
-- 'ALREADY' when the instance had already ended, 'UNKNOWN' when it has no data in Redis.
-- After ENDED or ALREADY the caller sets the score of 'CODE SID' in the code's due bucket
-- PREFIX:due:{B} to now unless it is earlier (ZADD LT), so a lost update of an earlier end
-- is repaired. On Redis Cluster the PUBLISH reaches every node of the cluster.
check_version('end.lua', 2, 4)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
local prefix = check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
local now = check_integer('now', ARGV[3], MIN_NOW, MAX_NOW)
if ARGV[4] ~= prefix .. ':events' then
  fail('the events channel must be ' .. prefix .. ':events, got ' .. string.format('%q', ARGV[4]))
end

if redis.call('EXISTS', KEYS[2]) == 0 then
  return 'UNKNOWN'
end
if redis.call('GET', KEYS[1]) ~= sid then
  return 'ALREADY'
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[2], 'status', 'ended', 'endedAt', string.format('%.0f', now), 'endReason', 'ended')
redis.call('PUBLISH', ARGV[4], code .. ' ' .. sid)
return 'ENDED'
