#!/usr/bin/env bash
# Soak: a fixed rate of reads and changes for SOAK_SECONDS (default 600) while the DingTalk stand-in
# fails 1 call in 20 (busy, connection reset, an HTML 503). The gateway retries those; a request
# whose every attempt failed gets the contract's 502/503 problem, which must stay rare (< 0.1 %).
# Nothing else but 200 may come back, and the heap after a full GC must not grow.
# Usage: bench/soak.sh      (about 11 minutes; loopback only)
source "$(dirname "$0")/lib/harness.sh"
SCHEMA=gateway_soak_bench
SECONDS_TOTAL=${SOAK_SECONDS:-600}
PER_TICK=${PER_TICK:-4}   # requests every 100 ms: 40 a second

build
reset_schema "$SCHEMA"
start_standin 20
# One call in twenty fails, in turn: a scenario cycling through 40 states, two of them failing.
for state in $(seq 0 39); do
  current=$([ "$state" -eq 0 ] && echo Started || echo "s$state")
  next=$([ "$state" -eq 39 ] && echo Started || echo "s$((state + 1))")
  if [ "$state" -eq 0 ]; then
    read_answer='{"status":200,"jsonBody":{"errcode":-1,"errmsg":"busy"}}'
    change_answer='{"status":500,"jsonBody":{"code":"system.busy"}}'
  elif [ "$state" -eq 20 ]; then
    read_answer='{"fault":"CONNECTION_RESET_BY_PEER"}'
    change_answer='{"status":503,"body":"<html>busy</html>"}'
  else
    read_answer='{"status":200,"jsonBody":{"errcode":0,"result":{"userid":"user1001","name":"Li Si"}}}'
    change_answer='{"status":200,"jsonBody":{"result":true}}'
  fi
  curl -sf -o /dev/null -X POST "http://localhost:$STANDIN_PORT/__admin/mappings" -d \
    "{\"priority\":1,\"scenarioName\":\"reads\",\"requiredScenarioState\":\"$current\",\"newScenarioState\":\"$next\",\"request\":{\"method\":\"POST\",\"urlPath\":\"/topapi/v2/user/get\"},\"response\":$read_answer}"
  curl -sf -o /dev/null -X POST "http://localhost:$STANDIN_PORT/__admin/mappings" -d \
    "{\"priority\":1,\"scenarioName\":\"changes\",\"requiredScenarioState\":\"$current\",\"newScenarioState\":\"$next\",\"request\":{\"method\":\"POST\",\"url\":\"/v1.0/contact/orgAccounts/dingTalkIds/change\"},\"response\":$change_answer}"
done
# Under concurrent requests WireMock's scenario state can briefly match no stub: answer normally then,
# so the only failures are the injected ones.
curl -sf -o /dev/null -X POST "http://localhost:$STANDIN_PORT/__admin/mappings" -d \
  '{"priority":10,"request":{"method":"POST","urlPath":"/topapi/v2/user/get"},"response":{"status":200,"jsonBody":{"errcode":0,"result":{"userid":"user1001","name":"Li Si"}}}}'
curl -sf -o /dev/null -X POST "http://localhost:$STANDIN_PORT/__admin/mappings" -d \
  '{"priority":10,"request":{"method":"POST","url":"/v1.0/contact/orgAccounts/dingTalkIds/change"},"response":{"status":200,"jsonBody":{"result":true}}}'
# The directory mirror off: every read reaches the stand-in and meets its faults.
start_gateway "$SCHEMA" "$WORK/soak.log" --dingtalk.retry.max-attempts=4 --dingtalk.legacy-base-url="http://localhost:$STANDIN_PORT" \
  --gateway.directory.enabled=false

heap_after_gc() {
  "$java_home/bin/jcmd" "$GATEWAY_PID" GC.run > /dev/null
  "$java_home/bin/jcmd" "$GATEWAY_PID" GC.heap_info | python3 -c '
import re, sys
text = sys.stdin.read()
match = re.search(r"used (\d+)K", text)
print(int(match.group(1)) // 1024)'
}

read_one() {
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 30 -u admin:admin-password \
    "http://localhost:$GATEWAY_PORT/api/v1/users/user1001" || echo 000
}
export -f read_one

# Warm up, then the baseline heap.
for _ in $(seq 1 200); do read_one > /dev/null; done
baseline=$(heap_after_gc)
: > "$WORK/soak-statuses.txt"
end=$((SECONDS + SECONDS_TOTAL))
tick=0
while [ "$SECONDS" -lt "$end" ]; do
  for i in $(seq 1 "$PER_TICK"); do
    if [ $(( (tick + i) % 10 )) -eq 0 ]; then
      change $(( tick * PER_TICK + i )) >> "$WORK/soak-statuses.txt" &
    else
      read_one >> "$WORK/soak-statuses.txt" &
    fi
  done
  tick=$((tick + 1))
  sleep 0.1
done
# The last requests finish within curl's 30 s cap (waiting on every job would wait on the stand-in too).
for _ in $(seq 1 35); do
  [ "$(pgrep -c -f "localhost:$GATEWAY_PORT/api" || true)" -eq 0 ] && break
  sleep 1
done
final=$(heap_after_gc)

total=$(wc -l < "$WORK/soak-statuses.txt")
ok=$(grep -c '^200$' "$WORK/soak-statuses.txt" || true)
faults=$(curl -sf "http://localhost:$STANDIN_PORT/__admin/requests/count" -d '{"method":"ANY","urlPattern":".*"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
echo "soak: ${SECONDS_TOTAL}s, requests $total, answered 200: $ok, other: $((total - ok)) ($(grep -v '^200$' "$WORK/soak-statuses.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ';'))"
echo "DingTalk stand-in calls (1 in 20 failed): $faults"
echo "heap used after full GC: ${baseline} MiB after warm-up, ${final} MiB at the end"
exhausted=$(grep -cE '^(502|503)$' "$WORK/soak-statuses.txt" || true)
unexpected=$((total - ok - exhausted))
echo "retries exhausted (contract 502/503): $exhausted; anything else: $unexpected"
[ "$total" -gt 0 ] && [ "$unexpected" -eq 0 ] && [ $((exhausted * 1000)) -le "$total" ] \
  && [ "$final" -le $((baseline + baseline / 5 + 16)) ]
