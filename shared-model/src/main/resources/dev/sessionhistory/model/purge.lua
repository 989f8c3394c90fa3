-- purge.lua: deletes an archived instance's data (layout v1, see RedisKeys).
-- Run only after the archive row of the instance committed.
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[4] id hash       PREFIX:{CODE}:SID:ids
-- KEYS[5] claim key     PREFIX:{CODE}:SID:claim
-- KEYS[6] pending set   PREFIX:{CODE}:pending
-- ARGV[1] session id
-- Returns 1 when deleted; 0 when the live key holds this instance (never purge a live
-- session). Keys of other instances of the code, including a new live one, are untouched.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
redis.call('SREM', KEYS[6], ARGV[1])
return 1
