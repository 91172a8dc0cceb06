#!/usr/bin/env bash
# Figure 2 of docs/benchmarks.md: the access-token cache under load.
#  1. A cold gateway (no token yet) meets 1,000 connections at once: DingTalk's token endpoint must
#     see exactly one request.
#  2. Tokens that live 20 s, so the gateway refreshes every 10 s, under a steady read load for 60 s,
#     beside the same load with tokens that live two hours: no failed request, no latency spike.
# The directory mirror is off, so that every read is a DingTalk call that needs the token.
# Usage: bench/token-cache.sh     (about 4 minutes; loopback only)
source "$(dirname "$0")/lib/harness.sh"
source bench/lib/gateway.sh
SCHEMA=gateway_token_bench
LOAD_SECONDS=${LOAD_SECONDS:-60}
PACE=10   # 16 connections each waiting 10 ms: about 1,500 reads a second, well below the peak
URL=$GATEWAY/api/v1/users/user1001

prepare_bench "$SCHEMA"
export BENCH_TOKEN
BENCH_TOKEN=$(signed_jwt "users:read")
token_requests() { grep -c accessToken "$NGINX_PREFIX/$1" || true; }

{
  echo "# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores"
  start_production_gateway "$WORK/token-cold.log" "$STANDIN" "$SCHEMA" "${UNPACED[@]}" "${NO_DIRECTORY[@]}"
  echo "cold start: token requests before the burst: $(token_requests tokens.log)"
  bench_wrk "1,000 connections at once" 1000 5 "$URL"
  echo "cold start: token requests after the burst: $(token_requests tokens.log)"
  stop_gateway

  for stand_in in "$STANDIN tokens.log steady (2 h tokens)" "$STANDIN_ROLLOVER tokens-rollover.log rollover (20 s tokens)"; do
    read -r url log label <<< "$stand_in"
    start_production_gateway "$WORK/token-$log.gateway" "$url" "$SCHEMA" "${UNPACED[@]}" "${NO_DIRECTORY[@]}"
    bench_wrk "warm-up" 16 20 "$URL" > /dev/null
    before=$(token_requests "$log")
    PACE_MS=$PACE bench_wrk "$label" 16 "$LOAD_SECONDS" "$URL"
    echo "  token requests during the ${LOAD_SECONDS} s: $(( $(token_requests "$log") - before ))"
    stop_gateway
  done
} | tee "$WORK/token-cache.txt"
# The goal, checked: no failed request anywhere, exactly one token fetch for the cold burst.
! grep -q 'non2xx=[1-9]' "$WORK/token-cache.txt" \
  && grep -q '^cold start: token requests after the burst: 1$' "$WORK/token-cache.txt"
