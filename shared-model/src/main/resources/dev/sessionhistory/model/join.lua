-- join.lua: a user joins a live session as a participant, or gains rights, atomically
-- (layout 4, see RedisKeys).
-- KEYS[1] live key      PREFIX:{CODE}:live
-- KEYS[2] meta hash     PREFIX:{CODE}:SID:meta
-- KEYS[3] users hash    PREFIX:{CODE}:SID:users (the participants: user id -> rights)
-- ARGV[1] layout version '4'
-- ARGV[2] session id
-- ARGV[3] the user's id (1 to 256 bytes of UTF-8, no control characters)
-- ARGV[4] the rights to grant: a comma-separated subset of read, append and end, in that
--         order (e.g. 'read,append')
-- ARGV[5] the session's participant limit: the most entries of the users hash
-- Returns 'OK' when the user is a participant with at least these rights now (the rights
-- stored are the union of those held and those given; the owner, who holds every right,
-- is never stored as a participant), 'ENDED' when the instance is not live, 'UNKNOWN'
-- when it has no data in Redis, 'FULL' when a new participant would pass the limit. Bad
-- arguments, or stored rights that are none of the above: an error, and nothing written.
-- The users hash gets the meta's TTL (idle TTL + safety TTL), like the other keys.
check_version('join.lua', 3, 5)
local sid = check_session_id(ARGV[2])
local code = code_of(KEYS[1])
check_key(1, code, ':live')
check_key(2, code, ':' .. sid .. ':meta')
check_key(3, code, ':' .. sid .. ':users')
local user = check_user_id('user id', ARGV[3])
local given = parse_rights(ARGV[4])
if not given then
  fail('rights must be a comma-separated subset of read,append,end in that order, got ' ..
    string.format('%q', tostring(ARGV[4])))
end
local max_participants = check_integer('participant limit', ARGV[5], 1, MAX_PARTICIPANTS)

if redis.call('GET', KEYS[1]) ~= sid then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    return 'ENDED'
  end
  return 'UNKNOWN'
end
if redis.call('HGET', KEYS[2], 'owner') == user then
  return 'OK'
end
local held = redis.call('HGET', KEYS[3], user)
local rights = given
if held then
  local stored = parse_rights(held)
  if not stored then
    fail('the users hash of ' .. sid .. ' gives ' .. string.format('%q', user) .. ' the rights ' ..
      string.format('%q', held) .. ', which are none of read,append,end')
  end
  for word in pairs(given) do
    stored[word] = true
  end
  rights = stored
elseif redis.call('HLEN', KEYS[3]) >= max_participants then
  return 'FULL'
end
redis.call('HSET', KEYS[3], user, rights_text(rights))
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[3], ttl)
end
return 'OK'
