-- wrk script for bench/run.sh: every request picks a random session of the fixture.
-- Environment: BENCH_SET (code letter, e.g. L), BENCH_SESSIONS (how many sessions the set has),
-- BENCH_MODE (history: GET a full page; append: POST one message with BENCH_BODY;
-- page: GET pages of one session BENCH_CODE, at BENCH_AFTER: "latest" (no cursor), a cursor
-- seq, or "random" for a random cursor below BENCH_MESSAGES), BENCH_LIMIT (page size, default 100);
-- path: GET BENCH_PATH, the same path every time).
-- Tokens: BENCH_TOKENS, a file of one token per line, line N+1 for session N (each request sends
-- its session's as "Authorization: Bearer"), else BENCH_TOKEN, one token for every request, else none.
-- Codes are the set's letter and 12 digits, e.g. L000000000042, as bench/Fixture.java makes them.
local set = os.getenv("BENCH_SET") or "L"
local sessions = tonumber(os.getenv("BENCH_SESSIONS") or "1000")
local mode = os.getenv("BENCH_MODE") or "history"
local body = os.getenv("BENCH_BODY") or '{"sender":"user-3","type":"chat","data":{"text":"hello"}}'
local limit = os.getenv("BENCH_LIMIT") or "100"
local page_code = os.getenv("BENCH_CODE") or "B000000000000"
local after = os.getenv("BENCH_AFTER") or "latest"
local messages = tonumber(os.getenv("BENCH_MESSAGES") or "1")
local token = os.getenv("BENCH_TOKEN") or ""
local token_file = os.getenv("BENCH_TOKENS") or ""

-- The headers of a request: JSON for appends, the token if any. Built once, not per request.
local function headers_with(bearer)
  local h = {}
  if mode == "append" then h["Content-Type"] = "application/json" end
  if bearer ~= nil then h["Authorization"] = "Bearer " .. bearer end
  return h
end
local shared = headers_with(token ~= "" and token or nil)
local by_session = {}

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
end

function init(args)
  math.randomseed(os.time() * 7919 + (thread_id or 0) * 104729)
  if token_file ~= "" then
    for line in io.lines(token_file) do by_session[#by_session + 1] = headers_with(line) end
  end
end

-- The headers of a request to session n.
local function headers(n)
  return by_session[n + 1] or shared
end

local fixed_path = os.getenv("BENCH_PATH") or "/"

function request()
  if mode == "path" then
    return wrk.format("GET", fixed_path, headers(-1))
  end
  if mode == "page" then
    local path = "/sessions/" .. page_code .. "/history?limit=" .. limit
    if after == "random" then
      path = path .. "&after=" .. math.random(0, messages - 1)
    elseif after ~= "latest" then
      path = path .. "&after=" .. after
    end
    return wrk.format("GET", path, headers(-1))
  end
  local n = math.random(0, sessions - 1)
  local code = string.format("%s%012d", set, n)
  if mode == "append" then
    return wrk.format("POST", "/sessions/" .. code .. "/messages", headers(n), body)
  end
  return wrk.format("GET", "/sessions/" .. code .. "/history?limit=" .. limit, headers(n))
end

-- One machine-readable line for bench/run.sh, besides wrk's own report.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
