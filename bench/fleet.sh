#!/usr/bin/env bash
# Figure 6 of docs/benchmarks.md: one DingTalk quota for the fleet. Three packaged gateways (production
# profile, dingtalk.rate-limit.shared=true) on one PostgreSQL database of their own, reached through a
# TCP proxy (socat) that the drill cuts, in front of an nginx stand-in that holds each DingTalk API to
# 20 calls in every wall-clock second and answers DingTalk's 90018 above it
# (bench/nginx/fleet-standin.conf). Closed-loop clients (wrk) on two routes that call different
# DingTalk APIs: GET /api/v1/users/{id} (topapi/v2/user/get) and POST /api/v1/users/lookup by unionId
# (topapi/user/getbyunionid). In one run:
#   fleet   all three loaded: calls per API per replica and in all, share of the quota, pacing wait,
#           the database round trip of a turn, CPU per call of the gateways and of their backends;
#   lone    one replica loaded, the other two idle;
#   drill   the database cut mid-run: each replica on qps/3 within a second, none over quota, then back;
#   static  today's static split for comparison: shared=false, qps = 20/3 rounded down on each replica.
# Every DingTalk call is counted from the stand-in's own log (arrival time and second); the goals are
# checked at the end (exit 1 when one is missed).
# Usage: bench/fleet.sh     (about 5.5 minutes; loopback ports 18080-18087; PostgreSQL on 127.0.0.1:5432,
#        database bench_fleet dropped and created). Shorter: WARM_UP_SECONDS, FLEET_SECONDS, LONE_SECONDS,
#        FALLBACK_SECONDS, AFTER_SECONDS, STATIC_SECONDS; CONNECTIONS per route and replica (3).
source "$(dirname "$0")/lib/harness.sh"
source bench/lib/gateway.sh

FLEET_STANDIN=http://127.0.0.1:18086
STANDIN=$FLEET_STANDIN                  # where production_gateway_command finds the JWK set
DB_PROXY_PORT=18087
DATABASE=bench_fleet
DB_URL=jdbc:postgresql://127.0.0.1:$DB_PROXY_PORT/$DATABASE
RUN=$PWD/$WORK/fleet
REPLICAS=(1 2 3)                        # replica n: API on 18078 + 2n, management on 18079 + 2n
CONNECTIONS=${CONNECTIONS:-3}
WARM_UP=${WARM_UP_SECONDS:-10}
FLEET_SECONDS=${FLEET_SECONDS:-60}
LONE_SECONDS=${LONE_SECONDS:-30}
FALLBACK_SECONDS=${FALLBACK_SECONDS:-15}
AFTER_SECONDS=${AFTER_SECONDS:-10}
STATIC_SECONDS=${STATIC_SECONDS:-30}
SETTLE=5                                # between phases: calls whose clients left are finished or refused
MAX_WAIT=5                              # dingtalk.rate-limit.max-wait (default): how long regimes overlap
STATIC_QPS=$((20 / 3))                  # the old chart's appQpsBudget / maxPods
# Histograms of the pacing wait and of a turn at the database, so that a window's quantiles can be told
# from two scrapes; metrics settings only, the pacing is as configured.
METRICS=(--management.metrics.distribution.percentiles-histogram.dingtalk.pacing.wait=true
         --management.metrics.distribution.percentiles-histogram.gateway.budget.store=true
         --management.metrics.distribution.minimum-expected-value.gateway.budget.store=100us
         --management.metrics.distribution.maximum-expected-value.gateway.budget.store=5s)
declare -A GATEWAY_PIDS
CLIENT_PIDS=()
WINDOWS=()

api_port() { echo $((18078 + 2 * $1)); }
management_port() { echo $((18079 + 2 * $1)); }

start_fleet_standin() {
  rm -rf "$RUN"
  mkdir -p "$RUN/nginx/tmp"
  cp bench/nginx/fleet-standin.conf bench/nginx/fleet-answers.js "$WORK/jwks.json" "$RUN/nginx/"
  nginx -p "$RUN/nginx/" -c "$RUN/nginx/fleet-standin.conf" -e "$RUN/nginx/fleet-standin-error.log"
  trap 'stop_fleet_standin; for pid in "${PIDS[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done' EXIT
  await_url "$FLEET_STANDIN/idp/jwks" 10
}

stop_fleet_standin() {
  [ -f "$RUN/nginx/fleet-standin.pid" ] && kill "$(cat "$RUN/nginx/fleet-standin.pid")" 2>/dev/null || true
}

reset_database() {
  PGOPTIONS="-c client_min_messages=warning" \
  psql -h 127.0.0.1 -U postgres -d postgres -q -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" \
    -c "CREATE DATABASE $DATABASE"
}

start_db_proxy() { # the replicas' only way to the database; a process group of its own (setsid)
  setsid socat "TCP-LISTEN:$DB_PROXY_PORT,bind=127.0.0.1,reuseaddr,fork" TCP:127.0.0.1:5432 &
  DB_PROXY_PID=$!
  PIDS+=("$DB_PROXY_PID")
  for _ in $(seq 1 50); do ss -ltn "sport = :$DB_PROXY_PORT" | grep -q LISTEN && return 0; sleep 0.1; done
  echo "the database proxy did not start" >&2; return 1
}

stop_db_proxy() { # the listener and every connection it carries, at once (its process group); sets CUT_AT
  CUT_AT=$(date +%s.%N)
  kill -KILL -- "-$DB_PROXY_PID" 2>/dev/null || true
  wait "$DB_PROXY_PID" 2>/dev/null || true
}

launch_replica() { # replica, log name, extra args...
  local r=$1 log=$2 i
  shift 2
  GATEWAY_PORT=$(api_port "$r") MANAGEMENT_PORT=$(management_port "$r")
  production_gateway_command "$FLEET_STANDIN" unused "${METRICS[@]}" "$@"
  # The fleet's database, and an old-style base URL per replica so that the stand-in's log names it.
  for i in "${!GATEWAY_COMMAND[@]}"; do
    case ${GATEWAY_COMMAND[$i]} in
      --spring.datasource.url=*) GATEWAY_COMMAND[i]=--spring.datasource.url=$DB_URL ;;
      --dingtalk.legacy-base-url=*) GATEWAY_COMMAND[i]=--dingtalk.legacy-base-url=$FLEET_STANDIN/r$r ;;
    esac
  done
  DINGTALK_APP_KEY=bench-app-key DINGTALK_APP_SECRET=bench-app-secret "${GATEWAY_COMMAND[@]}" \
    > "$RUN/gateway-r$r-$log.log" 2>&1 &
  GATEWAY_PIDS[$r]=$!
  PIDS+=("$!")
}

start_fleet() { # log name, extra args...: every replica, returns once all are ready
  local r
  for r in "${REPLICAS[@]}"; do launch_replica "$r" "$@"; done
  for r in "${REPLICAS[@]}"; do await_url "http://127.0.0.1:$(management_port "$r")/actuator/health/readiness" 300; done
}

prime_fleet() { # one call of each route on each replica: the DingTalk token, the budgets' rows, first JIT
  local r url
  for r in "${REPLICAS[@]}"; do
    url=http://127.0.0.1:$(api_port "$r")/api/v1/users
    curl -s -o /dev/null --max-time 30 -H "Authorization: Bearer $TOKEN" "$url/user1001" || true
    curl -s -o /dev/null --max-time 30 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d '{"unionId":"union-user1001"}' "$url/lookup" || true
  done
}

stop_fleet() {
  local r
  for r in "${REPLICAS[@]}"; do kill "${GATEWAY_PIDS[$r]}" 2>/dev/null || true; done
  for r in "${REPLICAS[@]}"; do wait "${GATEWAY_PIDS[$r]}" 2>/dev/null || true; done
}

start_clients() { # phase, replicas...: CONNECTIONS closed-loop connections per route on each, until stop_clients
  local phase=$1 r url
  shift
  CLIENT_PIDS=()
  for r in "$@"; do
    url=http://127.0.0.1:$(api_port "$r")/api/v1/users
    BENCH_TOKEN=$TOKEN wrk -t1 -c"$CONNECTIONS" -d1h --timeout 30s -s bench/lib/report.lua "$url/user1001" \
      > "$RUN/$phase-r$r-get.wrk" 2>&1 &
    CLIENT_PIDS+=("$!")
    BENCH_TOKEN=$TOKEN BENCH_METHOD=POST BENCH_BODY='{"unionId":"union-user1001"}' \
      wrk -t1 -c"$CONNECTIONS" -d1h --timeout 30s -s bench/lib/report.lua "$url/lookup" \
      > "$RUN/$phase-r$r-lookup.wrk" 2>&1 &
    CLIENT_PIDS+=("$!")
  done
  PIDS+=("${CLIENT_PIDS[@]}")
}

stop_clients() { # wrk prints its summary on SIGINT
  kill -INT "${CLIENT_PIDS[@]}" 2>/dev/null || true
  wait "${CLIENT_PIDS[@]}" 2>/dev/null || true
}

ticks() { [ -r "/proc/$2/stat" ] && awk -v kind="$1" '{ print kind, $1, $14 + $15 }' "/proc/$2/stat" || true; }

snapshot() { # name: each replica's metrics; CPU ticks of the gateways and of their database backends
  local r pid
  for r in "${REPLICAS[@]}"; do
    curl -sf --max-time 5 "http://127.0.0.1:$(management_port "$r")/actuator/prometheus" > "$RUN/$1-r$r.prom" || true
  done
  {
    for r in "${REPLICAS[@]}"; do ticks gateway "${GATEWAY_PIDS[$r]}"; done
    for pid in $(psql -h 127.0.0.1 -U postgres -d postgres -Atc \
        "SELECT pid FROM pg_stat_activity WHERE datname = '$DATABASE'"); do
      ticks postgres "$pid"
    done
  } > "$RUN/$1.cpu"
}

sleep_until() { # epoch seconds (fractions allowed)
  sleep "$(awk -v t="$1" -v now="$(date +%s.%N)" 'BEGIN { d = t - now; printf "%.3f", (d > 0 ? d : 0) }')"
}

measure() { # name, seconds, title: snapshots at whole seconds around a window, reported at the end
  local from=$(( $(date +%s) + 1 ))
  sleep_until "$from"
  snapshot "$1-a"
  sleep_until $((from + $2))
  snapshot "$1-b"
  WINDOWS+=("$1|$from|$((from + $2))|$3")
  echo "$1|$from|$((from + $2))|$3" >> "$RUN/windows.txt"
  echo "  measured $1: $2 s"
}

shared_gauges() { # dingtalk_pacing_shared of every replica, e.g. "1 1 0"
  local r
  for r in "${REPLICAS[@]}"; do
    curl -sf --max-time 2 "http://127.0.0.1:$(management_port "$r")/actuator/prometheus" \
      | awk '/^dingtalk_pacing_shared/ { v = $NF } END { printf "%d ", (v == "" ? -1 : v) }'
  done
}

await_gauges() { # wanted value, seconds: until every replica's gauge shows it
  local wanted=$1 deadline
  deadline=$(awk -v now="$(date +%s.%N)" -v s="$2" 'BEGIN { printf "%.3f", now + s }')
  while [ "$(shared_gauges)" != "$(printf "$wanted %.0s" "${REPLICAS[@]}")" ]; do
    awk -v deadline="$deadline" -v now="$(date +%s.%N)" 'BEGIN { exit !(now > deadline) }' && return 1
    sleep 0.1
  done
}

since() { awk -v from="$1" -v now="$(date +%s.%N)" 'BEGIN { printf "%.2f", now - from }'; }

# --- set-up -------------------------------------------------------------------------------------------
install_tools
command -v socat > /dev/null || apt-get install -y -q socat > "$WORK/apt.log" 2>&1
package_gateway
make_jwks
start_fleet_standin
reset_database
start_db_proxy
TOKEN=$(signed_jwt "users:read")
OPS_TOKEN=$(signed_jwt "ops")
HEADER="# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), load average at start $(cut -d' ' -f1-3 /proc/loadavg); nginx $(nginx -v 2>&1 | cut -d/ -f2), $(psql -V | cut -d' ' -f2-3); ${CONNECTIONS} connections per route and replica"
echo "$HEADER"

# --- the fleet on the shared budget -------------------------------------------------------------------
echo "# starting three replicas, shared budget"
start_fleet shared --dingtalk.rate-limit.shared=true
prime_fleet
start_clients fleet 1 2 3
sleep "$WARM_UP"
measure fleet "$FLEET_SECONDS" "fleet: 3 replicas loaded, shared budget"
stop_clients

# --- a lone replica on the same budget ----------------------------------------------------------------
start_clients lone 1
sleep "$SETTLE"   # the others' last calls are done, the lone replica's callers queue
measure lone "$LONE_SECONDS" "lone: replica 1 loaded, 2 and 3 idle, shared budget"
stop_clients

# --- the drill: the database goes away and comes back --------------------------------------------------
sleep "$SETTLE"
start_clients drill 1 2 3
sleep "$SETTLE"
measure before 5 "drill, before: 3 replicas, shared budget"
stop_db_proxy
DRILL_CUT_AT=$CUT_AT
echo "cut $DRILL_CUT_AT" >> "$RUN/drill.txt"
await_gauges 0 10 && echo "  database cut: every replica's dingtalk_pacing_shared 0 after $(since "$DRILL_CUT_AT") s (polled every 0.1 s)" \
  || echo "  database cut: not every replica fell back within 10 s ($(shared_gauges))"
curl -sf -H "Authorization: Bearer $OPS_TOKEN" "http://127.0.0.1:$(management_port 1)/actuator/dingtalk" > "$RUN/dingtalk-fallback-r1.json" || true
# A share starts max-wait after the fall (turns reserved from the fleet's budget may still be pending).
sleep_until "$(awk -v t="$DRILL_CUT_AT" -v w="$MAX_WAIT" 'BEGIN { printf "%.3f", t + w + 1 }')"
measure fallback "$FALLBACK_SECONDS" "drill, database unreachable: each replica on its share"
RESTART_AT=$(date +%s.%N)
start_db_proxy
echo "restart $RESTART_AT" >> "$RUN/drill.txt"
await_gauges 1 20 && echo "  database back: every replica's dingtalk_pacing_shared 1 after $(since "$RESTART_AT") s" \
  || echo "  database back: not every replica returned within 20 s ($(shared_gauges))"
# The shared budget grants nothing for a probe interval plus max-wait after a return (shares being spent).
sleep $((1 + MAX_WAIT + 1))
measure after "$AFTER_SECONDS" "drill, database back: shared budget again"
stop_clients
DRILL_TO=$(date +%s)
echo "end $DRILL_TO" >> "$RUN/drill.txt"
stop_fleet

# --- today's static split, for comparison -------------------------------------------------------------
echo "# starting three replicas, static split: shared=false, qps=$STATIC_QPS each"
start_fleet static --dingtalk.rate-limit.shared=false --dingtalk.rate-limit.qps="$STATIC_QPS"
prime_fleet
start_clients static 1 2 3
sleep "$WARM_UP"
measure static "$STATIC_SECONDS" "static split: 3 replicas loaded, shared=false, qps=$STATIC_QPS each"
stop_clients
stop_fleet
sleep 1   # nginx writes a call's log line after its answer
stop_db_proxy

# --- figures and goals --------------------------------------------------------------------------------
{
  echo "$HEADER"
  for window in "${WINDOWS[@]}"; do
    IFS="|" read -r name from to title <<< "$window"
    python3 bench/lib/fleet-report.py phase "$RUN" "$name" "$title" "$from" "$to" "1 2 3"
  done
  python3 bench/lib/fleet-report.py drill "$RUN" "$DRILL_CUT_AT" "$RESTART_AT" "$(( ${DRILL_CUT_AT%.*} - 5 ))" "$DRILL_TO"
  echo "replica 1's /actuator/dingtalk while cut off: $(python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))["pacing"]; print(json.dumps({k: p[k] for k in ("store", "qps", "fallbackReplicas", "fallbackReason")}))' "$RUN/dingtalk-fallback-r1.json" 2>/dev/null || echo unavailable)"
  for phase in fleet lone drill static; do
    echo "clients, $phase: $(cat "$RUN"/$phase-r*.wrk | grep -h '^requests=' | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "requests") n += kv[2]; if (kv[1] == "non2xx") e += kv[2]; if (kv[1] == "p99_ms" && kv[2] > p) p = kv[2] } } END { printf "%d requests, %d not 2xx, worst p99 %.0f ms", n, e, p }')"
  done
  echo "# goals"
  python3 bench/lib/fleet-report.py goals "$RUN"
} | tee "$WORK/fleet.txt"
