-- wrk script for bench/transfers_wrk.py: POST /v1/transfers between random accounts, each request
-- with an Idempotency-Key of its own, and a count of every status (wrk itself only counts the
-- non-2xx ones) so that the bench can compare the 201s with the entries the ledger booked.
--
--   wrk -t2 -c32 -d20s -s bench/transfers.lua http://127.0.0.1:PORT -- ACCOUNTS_FILE TOKEN RUN_ID
--
-- ACCOUNTS_FILE holds one Class I account id per line; TOKEN is a branch-bound bearer token.

local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("number", next_thread)
  table.insert(threads, thread)
end

-- `statuses` is a global: done() reads each thread's copy with thread:get.
local accounts, headers, run_id, sequence

function init(args)
  accounts = {}
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(accounts, line) end
  end
  headers = {
    ["Authorization"] = "Bearer " .. args[2],
    ["X-Channel"] = "branch",
    ["Content-Type"] = "application/json",
  }
  run_id = args[3] .. "-" .. number
  sequence = 0
  statuses = {}
  -- Each thread its own generator: the pairs differ between threads and between runs.
  math.randomseed(os.time() * 100 + number)
end

function request()
  sequence = sequence + 1
  local source = math.random(#accounts)
  local destination = math.random(#accounts - 1)
  if destination >= source then destination = destination + 1 end -- never the same account
  local body = string.format(
    '{"from_account_id":"%s","to_account_id":"%s","amount":%d,"currency":"CNY","memo":"bench"}',
    accounts[source], accounts[destination], math.random(10000)
  )
  headers["Idempotency-Key"] = run_id .. "-" .. sequence
  return wrk.format("POST", "/v1/transfers", headers, body)
end

function response(status, _, _)
  statuses[status] = (statuses[status] or 0) + 1
end

-- One JSON line the bench reads: the latency percentiles (microseconds) and every status counted.
function done(summary, latency, _)
  local counts = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("statuses")
    for status, count in pairs(counted) do
      counts[status] = (counts[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(counts) do
    table.insert(parts, string.format('"%d":%d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'finlife-wrk {"duration_us":%d,"requests":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"socket_errors":%d,"statuses":{%s}}\n',
    summary.duration, summary.requests, latency:percentile(50), latency:percentile(99), latency.max,
    errors.connect + errors.read + errors.write + errors.timeout, table.concat(parts, ",")
  ))
end
