-- wrk script for the contended booking POST: every request is one student (their session and CSRF
-- cookies) asking to hold one of a few free slots of the same teacher. The lines come from the file
-- BENCH_RACE_FILE ("<Cookie header>\t<form body>"), written by bench/pages_setup.py.
-- At the end it prints how many answers of each status came back ("status 302 17").

local lines = {}
for line in io.lines(os.getenv("BENCH_RACE_FILE")) do
  local cookie, body = line:match("^(.-)\t(.*)$")
  if cookie then
    lines[#lines + 1] = { cookie = cookie, body = body }
  end
end

local threads = {}
local counter = 0
statuses = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("offset", #threads * 7919)
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  local item = lines[(counter % #lines) + 1]
  return wrk.format("POST", nil, {
    ["Cookie"] = item.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, item.body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, count in pairs(counts) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d %d\n", status, count))
  end
end
