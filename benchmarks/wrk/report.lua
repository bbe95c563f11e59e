-- Shared by the wrk scripts here: one JSON line at the end (the harness reads it with jq), after wrk's own text.
-- errors: connect/read/write/timeout failures; non2xx: answers outside 2xx/3xx (a 404 read counts here).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end

-- The workload's keys (benchmarks' ClosedLoopLoad): 16 bytes, 10,000 of them; 100-byte values.
KEYS = 10000
VALUE = string.rep("v", 100)

function workload_key(i)
  return string.format("bench-key-%06d", i)
end

-- Each thread its own random sequence; "fill" walks the keys in order instead (run it with one thread).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  next_fill = 0
end

function next_key(op)
  if op == "fill" then
    next_fill = (next_fill + 1) % KEYS
    return next_fill
  end
  return math.random(0, KEYS - 1)
end
