#!/usr/bin/env bash
# Section 8 of docs/benchmarks.md (issue 14): the directory mirror.
#  1. Full sync: the packaged gateway (production profile, gateway.directory.enabled=true, an empty mirror)
#     fills its mirror from a simulated org of 10,000 users in 501 departments (bench/nginx/directory-org.js)
#     behind DingTalk's 20 calls per API in every wall-clock second (nginx limit_req keyed by API and second,
#     90018 to the 21st). Time from the sync's
#     start to its end (the gateway's timer gateway.directory.full-syncs) against the ideal: the calls each
#     API needed (counted in the stand-in's log) at the rate the gateway may spend on a full sync, the APIs
#     running side by side as the gateway runs them.
#  2. Event to mirror lag: a stand-in of DingTalk's Stream mode (bench/src/dev/dinggate/directory/
#     StreamStandIn.java) pushes contact events over a WebSocket; the gateway re-reads each user named (a
#     paced user/get) and acknowledges once the mirror is written. Lag: frame sent to acknowledgement read,
#     then every changed user is read back from the mirror.
# Fails when the mirror misses users or departments, a call was throttled, an event was not acknowledged
# SUCCESS or the mirror does not hold what the events changed; the time and lag goals are reported.
# Usage: bench/directory-sync.sh     (about 2 minutes; loopback only; EVENTS=300 EVENT_RATE=5)
source "$(dirname "$0")/lib/harness.sh"
source bench/lib/gateway.sh
SCHEMA=gateway_directory_bench
QPS=20
SHARE=0.8          # gateway.batch.quota-share: what background work (batches, the full sync) may spend
EVENTS=${EVENTS:-300}
EVENT_RATE=${EVENT_RATE:-5}
STREAM=http://127.0.0.1:18084             # StreamStandIn: open-connection call, user/get, control
STREAM_WEBSOCKET_PORT=18083
STANDIN_DIRECTORY=http://127.0.0.1:18085  # the org behind 20 QPS per API (bench/nginx/standin.conf)
RESULTS=$WORK/directory-sync.txt
LOAD_AT_START=$(cat /proc/loadavg)

prepare_bench "$SCHEMA"
rm -f "$WORK"/stream-standin.txt*
"$JAVA" bench/src/dev/dinggate/directory/StreamStandIn.java "${STREAM##*:}" "$STREAM_WEBSOCKET_PORT" \
  "$PWD/$WORK/stream-standin.txt" > "$WORK/stream-standin.log" 2>&1 &
PIDS+=($!)
await_url "$STREAM/bench/status" 60
token=$(signed_jwt "users:read ops")
status() { curl -sf -H "Authorization: Bearer $token" "$GATEWAY/api/v1/directory/status"; }
field() { python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
now_ms() { date +%s%3N; }

launched=$(now_ms)
launch_production_gateway "$WORK/directory-gateway.log" "$STANDIN_DIRECTORY" "$SCHEMA" \
  --dingtalk.rate-limit.qps="$QPS" --gateway.directory.enabled=true --gateway.directory.check-interval=1s \
  --dingtalk.stream.base-url="$STREAM"
await_url "$MANAGEMENT/actuator/health/readiness" 90
ready=$(now_ms)
state=filling
for _ in $(seq 1 3000); do   # 5 minutes at most
  state=$(status | field state || echo unknown)
  [ "$state" = ready ] && break
  sleep 0.1
done
filled=$(now_ms)
sleep 1   # nginx writes its access log line after the answer
cp "$NGINX_PREFIX/directory-calls.log" "$WORK/directory-sync-calls.log"
sync_status=$(status)
sync_seconds=$(prometheus_value 'gateway_directory_full_syncs_seconds_sum{outcome="completed"')

# The event stream: connected once the sync is done (it opened at start); then EVENTS events at EVENT_RATE.
for _ in $(seq 1 300); do
  [ "$(status | field streamConnected)" = True ] && break
  sleep 0.1
done
curl -sf -o /dev/null -X POST "$STREAM/bench/events?count=$EVENTS&rate=$EVENT_RATE"
for _ in $(seq 1 $(( (EVENTS / EVENT_RATE + 60) * 10 ))); do
  [ -s "$WORK/stream-standin.txt" ] && break
  sleep 0.1
done
# Every user an event changed, read from the mirror (no consistency=strong): its name must be the event's.
mismatched=$(GATEWAY=$GATEWAY TOKEN=$token python3 - "$WORK/stream-standin.txt.names" <<'PYTHON'
import json, os, sys, urllib.request
final = {}
for line in open(sys.argv[1]):
    user, name = line.rstrip("\n").split("\t")
    final[user] = name
wrong = 0
for user, name in final.items():
    request = urllib.request.Request(f"{os.environ['GATEWAY']}/api/v1/users/{user}",
                                     headers={"Authorization": "Bearer " + os.environ["TOKEN"]})
    try:
        if json.load(urllib.request.urlopen(request))["name"] != name:
            wrong += 1
    except Exception:
        wrong += 1
print(wrong)
PYTHON
)
events_status=$(status)
applied=$(prometheus_value 'gateway_directory_events_total{outcome="applied"')
stop_gateway

{
  echo "# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores; load average at start: $LOAD_AT_START"
  echo "# org of 10,000 users in 501 departments (bench/nginx/directory-org.js); upstream $QPS QPS per API; full sync at the background share $SHARE"
  echo "launch to ready: $(( ready - launched )) ms; ready to mirror ready: $(( filled - ready )) ms (includes the first look, gateway.directory.check-interval=1s)"
  echo "mirror after the sync: $sync_status"
  python3 - "$WORK/directory-sync-calls.log" "$sync_seconds" "$QPS" "$SHARE" <<'PYTHON'
import math, sys
log, sync_seconds, qps, share = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
calls, rejected, times, per_second = {}, {}, {}, {}
for line in open(log):
    at, uri, status = line.split()
    if not uri.startswith("/topapi/"):
        continue
    api = uri[len("/topapi/"):]
    calls[api] = calls.get(api, 0) + 1
    rejected[api] = rejected.get(api, 0) + (status == "REJECTED")
    times.setdefault(api, []).append(float(at))
    per_second[(api, at.split(".")[0])] = per_second.get((api, at.split(".")[0]), 0) + 1
first = min(t for ts in times.values() for t in ts)
last = max(t for ts in times.values() for t in ts)
lane = max(1, math.floor(qps * share))   # the pacer's background lane: whole calls a second
for api in sorted(calls):
    ts, busiest, start = sorted(times[api]), 0, 0
    for end in range(len(ts)):
        while ts[end] - ts[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    wall = max(n for (name, _), n in per_second.items() if name == api)
    print(f"calls {api:24s} {calls[api]:5d}  throttled {rejected[api]}  busiest wall-clock second {wall}"
          f" (sliding {busiest})")
total = sum(calls.values())
ideal = max(calls.values()) / lane
serial = total / lane
ideal_quota = max(calls.values()) / qps
print(f"dingtalk_calls={total} throttled={sum(rejected.values())} first_to_last_call_s={last - first:.2f}")
print(f"sync_s={sync_seconds:.2f} ideal_s={ideal:.2f} ratio={sync_seconds / ideal:.3f}"
      f"  (ideal: the busiest API's calls at the background lane's {lane}/s, the APIs side by side)")
print(f"  against the full quota ({qps}/s): ideal {ideal_quota:.2f} s, ratio {sync_seconds / ideal_quota:.3f};"
      f" were the APIs called one after another: ideal {serial:.2f} s, ratio {sync_seconds / serial:.3f}")
PYTHON
  echo "events: $(cat "$WORK/stream-standin.txt" 2> /dev/null || echo 'no result from the stream stand-in')"
  echo "events applied by the gateway: ${applied%.*}; users whose mirrored name is not the event's: $mismatched"
  echo "mirror after the events: $events_status"
} | tee "$RESULTS"

ratio=$(sed -n 's/^sync_s=.* ratio=\([0-9.]*\).*/\1/p' "$RESULTS")
p99=$(sed -n 's/.*lag_p99_ms=\([0-9.-]*\).*/\1/p' "$RESULTS")
{
  echo "# goals"
  awk -v ratio="$ratio" 'BEGIN { printf "full sync within 1.15 x its ideal                        %s x   %s\n", ratio, (ratio <= 1.15 ? "met" : "missed") }'
  awk -v p99="$p99" -v qps="$QPS" 'BEGIN { goal = 1000 + 1000 / qps; printf "event to mirror p99 under 1 s + one paced call (%d ms)    %s ms   %s\n", goal, p99, (p99 >= 0 && p99 < goal ? "met" : "missed") }'
} | tee -a "$RESULTS"

# Hard failures: what the mirror must hold, no throttling, every event applied.
users=$(echo "$sync_status" | field users)
departments=$(echo "$sync_status" | field departments)
grep -q "^dingtalk_calls=[0-9]* throttled=0 " "$RESULTS" \
  && [ "$users" -eq 10000 ] && [ "$departments" -eq 501 ] && [ "$mismatched" -eq 0 ] \
  && grep -q "acknowledged_success=$EVENTS other=0 " "$RESULTS"
