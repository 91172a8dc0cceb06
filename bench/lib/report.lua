-- One summary line per wrk run, and optional pacing: with PACE_MS set, each connection waits that
-- long before its next request, so that a run holds a rate well below the peak.
local pace = tonumber(os.getenv("PACE_MS") or "0")

if os.getenv("BENCH_METHOD") then
  wrk.method = os.getenv("BENCH_METHOD")
  wrk.body = os.getenv("BENCH_BODY")
  wrk.headers["Content-Type"] = "application/json"
end
if os.getenv("BENCH_TOKEN") then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

function delay()
  return pace
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local non2xx = summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout
  io.write(string.format("requests=%d seconds=%.1f rps=%.0f non2xx=%d p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f\n",
      summary.requests, seconds, summary.requests / seconds, non2xx,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000,
      latency:percentile(99.9) / 1000, latency.max / 1000))
end
