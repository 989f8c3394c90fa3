-- purge.lua: deletes an archived instance's data (layout 4, see RedisKeys).
-- Run only after the archive row of the instance committed.
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[4] id hash       PREFIX:{CODE}:SID:ids
-- KEYS[5] claim key     PREFIX:{CODE}:SID:claim
-- KEYS[6] pending set   PREFIX:{CODE}:pending
-- KEYS[7] users hash    PREFIX:{CODE}:SID:users (the participants)
-- ARGV[1] layout version '4'
-- ARGV[2] session id
-- Returns 1 when deleted; 0 when the live key holds this instance (never purge a live
-- session). Keys of other instances of the code, including a new live one, are untouched.
-- The list is deleted with UNLINK: a list of 160 MB is freed off Redis' main thread.
check_version('purge.lua', 7, 2)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
check_key(3, code, ':' .. sid .. ':msgs')
check_key(4, code, ':' .. sid .. ':ids')
check_key(5, code, ':' .. sid .. ':claim')
check_key(6, code, ':pending')
check_key(7, code, ':' .. sid .. ':users')

if redis.call('GET', KEYS[1]) == sid then
  return 0
end
redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[7])
redis.call('SREM', KEYS[6], sid)
return 1
