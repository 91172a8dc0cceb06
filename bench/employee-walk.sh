#!/usr/bin/env bash
# Figure 3 of docs/benchmarks.md: every employee of a simulated org of 5,000 users in 300 departments
# (bench/nginx/org.js) behind DingTalk's 20 QPS per app (nginx limit_req answering DingTalk's 90018
# above it), walked through the gateway at dingtalk.rate-limit.qps=20. Wall time against the ideal
# (calls / 20 s), throttling answers, and the most calls the stand-in saw in any one second.
# Usage: bench/employee-walk.sh     (about a minute; loopback only)
source "$(dirname "$0")/lib/harness.sh"
source bench/lib/gateway.sh
SCHEMA=gateway_walk_bench
QPS=20

prepare_bench "$SCHEMA"
# The directory mirror off: the walk reads DingTalk (a mirror, once filled, would answer it), and a full
# sync's calls would share the stand-in's quota with the walk.
start_production_gateway "$WORK/walk-gateway.log" "$STANDIN_WALK" "$SCHEMA" --dingtalk.rate-limit.qps="$QPS" \
  "${NO_DIRECTORY[@]}"
token=$(signed_jwt "users:read")

wall=$(curl -sf -o "$WORK/walk.ndjson" -w '%{time_total}' -H "Authorization: Bearer $token" \
  -H 'Accept: application/x-ndjson' "$GATEWAY/api/v1/users")
sleep 1   # nginx writes its access log line after the answer
stop_gateway

calls_log=$NGINX_PREFIX/walk-calls.log
users=$(grep -c '"userId"' "$WORK/walk.ndjson")
unique=$(sort -u "$WORK/walk.ndjson" | grep -c '"userId"')
calls=$(grep -c ' /topapi/' "$calls_log")
throttled=$(grep ' /topapi/' "$calls_log" | grep -c ' REJECTED' || true)
# Sliding one-second window over the stand-in's own arrival times.
busiest=$(grep ' /topapi/' "$calls_log" | awk '{ t[NR] = $1; while (t[NR] - t[first + 1] >= 1.0) first++; if (NR - first > max) max = NR - first } END { print max }')
ideal=$(awk -v calls="$calls" -v qps="$QPS" 'BEGIN { printf "%.2f", calls / qps }')
ratio=$(awk -v wall="$wall" -v ideal="$ideal" 'BEGIN { printf "%.3f", wall / ideal }')
{
  echo "# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores; org of 5,000 users in 300 departments; upstream 20 QPS"
  echo "employees=$users unique=$unique dingtalk_calls=$calls throttled=$throttled busiest_second=$busiest"
  echo "wall_s=$wall ideal_s=$ideal ratio=$ratio"
} | tee "$WORK/walk.txt"
[ "$unique" -eq 5000 ] && [ "$throttled" -eq 0 ]
