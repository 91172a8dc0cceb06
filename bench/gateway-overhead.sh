#!/usr/bin/env bash
# Figures 1 and 4 of docs/benchmarks.md: what the gateway adds to a call, beside two references.
#   (a) wrk straight to the nginx DingTalk stand-in (the floor)
#   (b) wrk through a plain nginx reverse proxy to the stand-in
#   (c) wrk through the gateway: JWT checked against a real RSA key, token from the cache,
#       WebClient to the stand-in, and for the change its audit rows on PostgreSQL
# For the read (GET /api/v1/users/{id}, with the directory mirror off so that it reads DingTalk) and the
# visibility change: peak throughput of each, then latency of each at half of (c)'s peak. Also the
# audit's share of the change's time and the gateway's peak resident memory.
# Then (section 8, issue 14) the gateway again with its directory mirror on, filled from the stand-in's
# org of 10,000 users, at peak beside (b) in the same run: a strong read (?consistency=strong, which reads
# DingTalk and writes the answer to the mirror), user details from the mirror, and a search of the mirror.
# Usage: bench/gateway-overhead.sh     (about 10 minutes; loopback only; SECONDS_PER_RUN=20)
source "$(dirname "$0")/lib/harness.sh"
source bench/lib/gateway.sh
SCHEMA=gateway_overhead_bench
RUN=${SECONDS_PER_RUN:-20}
WARM_UP=${WARM_UP_SECONDS:-30}
PEAK_CONNECTIONS=${PEAK_CONNECTIONS:-64}
PACED_CONNECTIONS=16
RESULTS=$WORK/overhead.txt
MIRROR_RESULTS=$WORK/overhead-mirror.txt
LOAD_AT_START=$(cat /proc/loadavg)

prepare_bench "$SCHEMA"
start_production_gateway "$WORK/overhead-gateway.log" "$STANDIN" "$SCHEMA" "${UNPACED[@]}" "${NO_DIRECTORY[@]}"
export BENCH_TOKEN
BENCH_TOKEN=$(signed_jwt "users:read accounts:write")

READ_UPSTREAM="/topapi/v2/user/get"
READ_GATEWAY="/api/v1/users/user1001"
CHANGE_UPSTREAM="/v1.0/contact/orgAccounts/mobiles/visibleInOtherOrg"
CHANGE_GATEWAY="/api/v1/org-accounts/visibility"
CHANGE_UPSTREAM_BODY='{"toCorpIds":["ding12345678"],"optUserId":"user1002","fields":["mobile","status"]}'
CHANGE_GATEWAY_BODY='{"corpIds":["ding12345678"],"fields":["mobile","status"]}'

read_runs() { # label suffix, connections
  BENCH_METHOD=POST BENCH_BODY='{"userid":"user1001","language":"en_US"}' \
    bench_wrk "read (a) direct$1" "$2" "$RUN" "$STANDIN$READ_UPSTREAM"
  BENCH_METHOD=POST BENCH_BODY='{"userid":"user1001","language":"en_US"}' \
    bench_wrk_cpu "read (b) nginx proxy$1" "$(proxy_pids | paste -sd,)" "$2" "$RUN" "$PROXY$READ_UPSTREAM"
  bench_wrk_cpu "read (c) gateway$1" "$GATEWAY_PID" "$2" "$RUN" "$GATEWAY$READ_GATEWAY"
}

change_runs() { # label suffix, connections
  BENCH_METHOD=PUT BENCH_BODY=$CHANGE_UPSTREAM_BODY bench_wrk "change (a) direct$1" "$2" "$RUN" "$STANDIN$CHANGE_UPSTREAM"
  BENCH_METHOD=PUT BENCH_BODY=$CHANGE_UPSTREAM_BODY bench_wrk_cpu "change (b) nginx proxy$1" "$(proxy_pids | paste -sd,)" "$2" "$RUN" "$PROXY$CHANGE_UPSTREAM"
  BENCH_METHOD=PUT BENCH_BODY=$CHANGE_GATEWAY_BODY bench_wrk_cpu "change (c) gateway$1" "$GATEWAY_PID" "$2" "$RUN" "$GATEWAY$CHANGE_GATEWAY"
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

# The audit writes' share of the gateway's time for successful PUTs, over what ran since the last call.
AUDIT_SUM='gateway_audit_writes_seconds_sum'
PUT_SUM='http_server_requests_seconds_sum{error="none",exception="none",method="PUT"'
audit_mark() { audit_before=$(prometheus_value "$AUDIT_SUM"); put_before=$(prometheus_value "$PUT_SUM"); }
audit_share() { # label
  awk -v label="$1" -v ab="$audit_before" -v aa="$(prometheus_value "$AUDIT_SUM")" -v pb="$put_before" \
      -v pa="$(prometheus_value "$PUT_SUM")" \
    'BEGIN { printf "audit share of the change'"'"'s time in the gateway, %s: %.1f %% (%.1f s of %.1f s)\n", label, 100 * (aa - ab) / (pa - pb), aa - ab, pa - pb }'
}

{
  echo "# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores, nginx $(nginx -v 2>&1 | cut -d/ -f2), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2); load average at start: $LOAD_AT_START"
  echo "# warm-up (JIT), not reported"
  bench_wrk "warm-up read" "$PEAK_CONNECTIONS" "$WARM_UP" "$GATEWAY$READ_GATEWAY" > /dev/null
  BENCH_METHOD=PUT BENCH_BODY=$CHANGE_GATEWAY_BODY bench_wrk "warm-up change" "$PEAK_CONNECTIONS" "$((WARM_UP / 2))" "$GATEWAY$CHANGE_GATEWAY" > /dev/null

  echo "# peak: $PEAK_CONNECTIONS connections, ${RUN} s each"
  read_runs " peak" "$PEAK_CONNECTIONS" | tee "$WORK/read-peak.txt"
  audit_mark
  change_runs " peak" "$PEAK_CONNECTIONS" | tee "$WORK/change-peak.txt"
  audit_share "at peak (queueing for the 10 pooled connections included)"
  echo "gateway peak resident memory (VmHWM): $(rss_peak_mib) MiB"

  for kind in read change; do
    peak=$(grep '(c) gateway' "$WORK/$kind-peak.txt" | field rps)
    pace=$(awk -v peak="$peak" -v connections="$PACED_CONNECTIONS" 'BEGIN { printf "%d", connections * 1000 / (peak / 2) }')
    echo "# $kind at half of the gateway's peak ($peak/s): $PACED_CONNECTIONS connections, each waiting ${pace} ms between requests"
    audit_mark
    PACE_MS=$pace "${kind}_runs" " half-peak" "$PACED_CONNECTIONS"
  done
  audit_share "at half of the peak"
} | tee "$RESULTS"
stop_gateway

# Section 8: reads of the directory mirror beside the proxy, the gateway started again with the mirror on.
SEARCH="/api/v1/directory/users?q=zhang&limit=20"
postgres_cpu() { # CPU seconds of the PostgreSQL processes (the gateway's pooled backends among them)
  local pid ticks=0
  for pid in $(pgrep -x postgres); do
    ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2> /dev/null || echo 0)))
  done
  awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f\n", ticks / hz }'
}
mirror_run() { # label, url: bench_wrk_cpu at peak, and PostgreSQL's CPU per request
  local before line
  before=$(postgres_cpu)
  line=$(bench_wrk_cpu "$1" "$GATEWAY_PID" "$PEAK_CONNECTIONS" "$RUN" "$2")
  awk -v line="$line" -v db="$(postgres_cpu)" -v d0="$before" 'BEGIN {
    match(line, /requests=[0-9]+/); requests = substr(line, RSTART + 9, RLENGTH - 9)
    printf "%s postgres_cpu_us=%.0f\n", line, 1e6 * (db - d0) / requests }'
}
load_before_mirror=$(cut -d' ' -f1-3 /proc/loadavg)
start_production_gateway "$WORK/overhead-mirror-gateway.log" "$STANDIN" "$SCHEMA" "${UNPACED[@]}" "${MIRROR[@]}"
filling=$(date +%s%3N)
await_mirror 300
filled_ms=$(( $(date +%s%3N) - filling ))
{
  echo "# $(date -u +%FT%TZ) directory mirror on, filled from the stand-in's org (10,000 users, 501 departments); load average before it: $load_before_mirror"
  echo "mirror filled (unpaced) $filled_ms ms after the gateway was ready"
  echo "# warm-up (JIT), not reported"
  bench_wrk "warm-up details" "$PEAK_CONNECTIONS" "$WARM_UP" "$GATEWAY$READ_GATEWAY" > /dev/null
  bench_wrk "warm-up search" "$PEAK_CONNECTIONS" "$((WARM_UP / 2))" "$GATEWAY$SEARCH" > /dev/null
  bench_wrk "warm-up strong" "$PEAK_CONNECTIONS" "$((WARM_UP / 2))" "$GATEWAY$READ_GATEWAY?consistency=strong" > /dev/null
  echo "# peak: $PEAK_CONNECTIONS connections, ${RUN} s each"
  BENCH_METHOD=POST BENCH_BODY='{"userid":"user1001","language":"en_US"}' \
    bench_wrk_cpu "read (b) nginx proxy peak" "$(proxy_pids | paste -sd,)" "$PEAK_CONNECTIONS" "$RUN" "$PROXY$READ_UPSTREAM"
  mirror_run "mirror strong read peak" "$GATEWAY$READ_GATEWAY?consistency=strong"
  mirror_run "mirror details peak" "$GATEWAY$READ_GATEWAY"
  mirror_run "mirror search peak" "$GATEWAY$SEARCH"
  echo "gateway peak resident memory (VmHWM): $(rss_peak_mib) MiB"
} | tee "$MIRROR_RESULTS"
stop_gateway
proxy=$(grep '^read (b) nginx proxy peak' "$MIRROR_RESULTS" | field rps)
for kind in "strong read" details search; do
  rate=$(grep "^mirror $kind peak" "$MIRROR_RESULTS" | field rps)
  awk -v kind="$kind" -v rate="$rate" -v proxy="$proxy" 'BEGIN {
    share = 100 * rate / proxy
    printf "mirror %-12s %8.0f/s = %5.1f %% of the nginx proxy'"'"'s %.0f/s", kind, rate, share, proxy
    if (kind != "strong read") printf "   goal >= 50 %%: %s", (share >= 50 ? "met" : "missed")
    printf "\n" }'
done | tee -a "$MIRROR_RESULTS"
echo "written to $RESULTS and $MIRROR_RESULTS"
