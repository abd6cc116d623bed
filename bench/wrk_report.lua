-- wrk's summary as one JSON line (latencies in microseconds); optional list of paths
-- to cycle through (WRK_PATHS file, one per line) for the search and the mixed load.
local paths, index = {}, 0
local file = os.getenv("WRK_PATHS")
if file then
  for line in io.lines(file) do if #line > 0 then paths[#paths + 1] = line end end
end

request = function()
  if #paths == 0 then return wrk.format() end
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"rps": %.2f, "p50": %d, "p95": %d, "max": %d, "requests": %d, "errors": %d, "status_errors": %d}\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(95), latency.max,
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
