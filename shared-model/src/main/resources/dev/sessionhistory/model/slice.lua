-- slice.lua: a bounded window of a claimed instance's messages, for archiving (layout 4,
-- see RedisKeys).
-- KEYS[1] message list  PREFIX:{CODE}:SID:msgs
-- KEYS[2] claim key     PREFIX:{CODE}:SID:claim
-- ARGV[1] layout version '4'
-- ARGV[2] worker id holding the claim
-- ARGV[3] claim TTL, milliseconds: the claim is extended by each window
-- ARGV[4] first seq of the window
-- ARGV[5] most messages in the window (1 to 1000)
-- ARGV[6] most bytes in the window; its first message is returned whatever its size
-- Returns {'SLICE', message...} (empty past the end of the list), or {'LOST', holder}
-- when the claim is no longer this worker's: the caller must stop archiving then.
check_version('slice.lua', 2, 6)
local code = code_of(KEYS[1])
local sid = string.match(KEYS[1], ':{[%w_%-]+}:([%x%-]+):msgs$')
check_session_id(sid)
check_key(1, code, ':' .. sid .. ':msgs')
check_key(2, code, ':' .. sid .. ':claim')
local worker = ARGV[2]
local claim_ttl = check_integer('claim TTL', ARGV[3], 1000, 86400000)
local first = check_integer('first seq', ARGV[4], 1, 1e12)
local max_count = check_integer('window count', ARGV[5], 1, 1000)
local max_bytes = check_integer('window bytes', ARGV[6], 1, 1e9)

local holder = redis.call('GET', KEYS[2])
if holder ~= worker then
  return {'LOST', holder or ''}
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local out = {'SLICE'}
local bytes = 0
local from = first - 1
local stop = from + max_count - 1
-- LRANGE in steps of 32, so a window never copies far more than it returns.
while from <= stop do
  local part = redis.call('LRANGE', KEYS[1], from, math.min(from + 31, stop))
  if #part == 0 then
    break
  end
  for i = 1, #part do
    if #out > 1 and bytes + #part[i] > max_bytes then
      return out
    end
    bytes = bytes + #part[i]
    out[#out + 1] = part[i]
  end
  from = from + #part
  if #part < 32 then
    break
  end
end
return out
