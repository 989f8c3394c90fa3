-- end.lua: ends a live session explicitly, atomically (layout v1, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- ARGV[1] session id
-- ARGV[2] now, epoch milliseconds
-- ARGV[3] events channel PREFIX:events
-- ARGV[4] code
-- Returns 'ENDED' when this call ended it (and published 'CODE SID' on the channel),
-- 'ALREADY' when the instance had already ended, 'UNKNOWN' when it has no data in Redis.
-- After ENDED the caller sets the score of 'CODE SID' in PREFIX:due to now.
if redis.call('EXISTS', KEYS[2]) == 0 then
  return 'UNKNOWN'
end
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 'ALREADY'
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[2], 'status', 'ended', 'endedAt', ARGV[2], 'endReason', 'ended')
redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. ARGV[1])
return 'ENDED'
