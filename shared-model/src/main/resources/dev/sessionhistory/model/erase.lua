-- erase.lua: erases a session instance's data wherever it is in its life (layout 4, see
-- RedisKeys): live (it ends and is deleted, never archived), or ended and waiting for its
-- archive. Run only after the erasure is in the erasure log, which keeps the worker from
-- archiving what a claim read before this ran.
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[4] id hash       PREFIX:{CODE}:SID:ids
-- KEYS[5] claim key     PREFIX:{CODE}:SID:claim
-- KEYS[6] pending set   PREFIX:{CODE}:pending
-- KEYS[7] users hash    PREFIX:{CODE}:SID:users (the participants)
-- ARGV[1] layout version '4'
-- ARGV[2] session id
-- Returns what it erased: 'LIVE' (the live key held the instance, now deleted), 'ENDED'
-- (its data, not live), or 'NONE' (nothing of it in Redis). Other instances of the code
-- are untouched. The due index is another slot: the caller removes the member after this.
-- The list is deleted with UNLINK: a list of 160 MB is freed off Redis' main thread.
check_version('erase.lua', 7, 2)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
check_key(3, code, ':' .. sid .. ':msgs')
check_key(4, code, ':' .. sid .. ':ids')
check_key(5, code, ':' .. sid .. ':claim')
check_key(6, code, ':pending')
check_key(7, code, ':' .. sid .. ':users')

local found = 'NONE'
if redis.call('GET', KEYS[1]) == sid then
  redis.call('DEL', KEYS[1])
  found = 'LIVE'
end
if redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[7]) > 0 and found == 'NONE' then
  found = 'ENDED'
end
redis.call('SREM', KEYS[6], sid)
return found
