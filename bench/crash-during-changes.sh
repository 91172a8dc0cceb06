#!/usr/bin/env bash
# kill -9 of the gateway during a burst of changes, then a restart: every change that reached the
# DingTalk stand-in has an audit row, and no row is left PENDING.
# Usage: bench/crash-during-changes.sh      (about a minute; loopback only)
source "$(dirname "$0")/lib/harness.sh"
SCHEMA=gateway_crash_bench
CHANGES=${CHANGES:-300}

build
reset_schema "$SCHEMA"
start_standin 300
start_gateway "$SCHEMA" "$WORK/crash-first-run.log"

seq 1 "$CHANGES" | xargs -P 30 -I{} bash -c 'change {}' > "$WORK/crash-statuses.txt" &
BURST=$!
sleep 2
kill -9 "$GATEWAY_PID"
wait "$BURST" || true

# The next start marks what the crash left PENDING as UNKNOWN (no age limit: nothing else is running).
start_gateway "$SCHEMA" "$WORK/crash-second-run.log" --gateway.audit.recover-pending-older-than=0s

standin_changes | sort -u > "$WORK/crash-reached.txt"
psql -h 127.0.0.1 -U postgres -d test -At -F ' ' -c \
  "SELECT target, outcome FROM $SCHEMA.audit_event WHERE operation = 'org-account.change-dingtalk-id'" \
  > "$WORK/crash-audit.txt"
missing=$(cut -d' ' -f1 "$WORK/crash-audit.txt" | sort -u | comm -13 - "$WORK/crash-reached.txt" | wc -l)
pending=$(grep -c ' PENDING$' "$WORK/crash-audit.txt" || true)

echo "changes sent: $CHANGES; answered before the crash: $(grep -c '^200$' "$WORK/crash-statuses.txt" || true)"
echo "changes that reached the stand-in: $(wc -l < "$WORK/crash-reached.txt")"
echo "audit rows: $(wc -l < "$WORK/crash-audit.txt") ($(cut -d' ' -f2 "$WORK/crash-audit.txt" | sort | uniq -c | tr -s ' ' | tr '\n' ';'))"
echo "changes at the stand-in without an audit row: $missing; rows left PENDING: $pending"
# Not vacuous: the crash must have hit changes in flight.
[ "$(wc -l < "$WORK/crash-reached.txt")" -gt 0 ] && [ "$missing" -eq 0 ] && [ "$pending" -eq 0 ]
