-- wrk script for bench/run.sh: every request picks a random session of the fixture.
-- Environment: BENCH_SET (code letter, e.g. L), BENCH_SESSIONS (how many sessions the set has),
-- BENCH_MODE (history: GET a full page; append: POST one message with BENCH_BODY;
-- page: GET pages of one session BENCH_CODE, at BENCH_AFTER: "latest" (no cursor), a cursor
-- seq, or "random" for a random cursor below BENCH_MESSAGES), BENCH_LIMIT (page size, default 100).
-- Codes are the set's letter and 12 digits, e.g. L000000000042, as bench/Fixture.java makes them.
local set = os.getenv("BENCH_SET") or "L"
local sessions = tonumber(os.getenv("BENCH_SESSIONS") or "1000")
local mode = os.getenv("BENCH_MODE") or "history"
local body = os.getenv("BENCH_BODY") or '{"sender":"user-3","type":"chat","data":{"text":"hello"}}'
local limit = os.getenv("BENCH_LIMIT") or "100"
local page_code = os.getenv("BENCH_CODE") or "B000000000000"
local after = os.getenv("BENCH_AFTER") or "latest"
local messages = tonumber(os.getenv("BENCH_MESSAGES") or "1")
local headers = { ["Content-Type"] = "application/json" }

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

function init(args)
  math.randomseed(os.time() * 7919 + (thread_id or 0) * 104729)
end

function request()
  if mode == "page" then
    local path = "/sessions/" .. page_code .. "/history?limit=" .. limit
    if after == "random" then
      path = path .. "&after=" .. math.random(0, messages - 1)
    elseif after ~= "latest" then
      path = path .. "&after=" .. after
    end
    return wrk.format("GET", path)
  end
  local code = string.format("%s%012d", set, math.random(0, sessions - 1))
  if mode == "append" then
    return wrk.format("POST", "/sessions/" .. code .. "/messages", headers, body)
  end
  return wrk.format("GET", "/sessions/" .. code .. "/history?limit=" .. limit)
end

-- One machine-readable line for bench/run.sh, besides wrk's own report.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
