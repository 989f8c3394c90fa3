-- redact.lua: erases one user's messages from an instance in Redis, live or ended (layout
-- 3, see RedisKeys): each named seq's entry becomes the tombstone {"seq":N,"erased":true},
-- so paging stays gap-free, and the user leaves the participants. The caller names the
-- seqs of the entries the user wrote (read in bounded windows before); at most 128 a call.
-- Run only after the user's erasure is in the erasure log, which makes the worker erase
-- the same messages from an archive it writes from entries read before this ran.
-- KEYS[1] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[2] users hash    PREFIX:{CODE}:SID:users (the participants)
-- ARGV[1] layout version '4'
-- ARGV[2] session id
-- ARGV[3] the user id
-- ARGV[4..] seqs, 1 to 2^31-1 each
-- Returns how many entries it replaced: a seq beyond the list (nothing there) is skipped.
check_version('redact.lua', 2, 3, 3 + 128)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':' .. sid .. ':msgs')
check_key(2, code, ':' .. sid .. ':users')
local user = check_user_id('user id', ARGV[3])
local seqs = {}
for i = 4, #ARGV do
  seqs[#seqs + 1] = check_integer('seq', ARGV[i], 1, 2147483647)
end

local length = redis.call('LLEN', KEYS[1])
local replaced = 0
for _, seq in ipairs(seqs) do
  if seq <= length then
    redis.call('LSET', KEYS[1], seq - 1, string.format('{"seq":%d,"erased":true}', seq))
    replaced = replaced + 1
  end
end
redis.call('HDEL', KEYS[2], user)
return replaced
