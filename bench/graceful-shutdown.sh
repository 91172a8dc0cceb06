#!/usr/bin/env bash
# SIGTERM while changes are in flight: every request that had reached the gateway is answered,
# none is cut off. Usage: bench/graceful-shutdown.sh      (about a minute; loopback only)
source "$(dirname "$0")/lib/harness.sh"
SCHEMA=gateway_shutdown_bench
IN_FLIGHT=${IN_FLIGHT:-40}

build
reset_schema "$SCHEMA"
start_standin 3000
start_gateway "$SCHEMA" "$WORK/shutdown.log"

seq 1 "$IN_FLIGHT" | xargs -P "$IN_FLIGHT" -I{} bash -c 'change {}' > "$WORK/shutdown-statuses.txt" &
BURST=$!
# Wait until every change is at the stand-in (so each is in flight inside the gateway), then stop it.
for _ in $(seq 1 30); do
  [ "$(standin_changes | wc -l)" -ge "$IN_FLIGHT" ] && break
  sleep 0.5
done
kill -TERM "$GATEWAY_PID"
wait "$BURST" || true
wait "$GATEWAY_PID" || true

answered=$(grep -c '^200$' "$WORK/shutdown-statuses.txt" || true)
echo "changes in flight at SIGTERM: $IN_FLIGHT; answered 200: $answered; others: $(grep -vc '^200$' "$WORK/shutdown-statuses.txt" || true)"
grep -q 'Graceful shutdown complete' "$WORK/shutdown.log" && echo "gateway logged: Graceful shutdown complete"
[ "$answered" -eq "$IN_FLIGHT" ]
