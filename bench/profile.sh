#!/usr/bin/env bash
# Where the gateway's time goes under load: records a JDK Flight Recording of the gateway while wrk
# drives one path at peak, then prints JFR's hot methods and allocation views, and the CPU samples
# grouped by library (bench/lib/jfr-categories.py).
#   read     GET /api/v1/users/{id} read from DingTalk (the directory mirror off), as figure 1's (c)
#   change   PUT /api/v1/org-accounts/visibility
#   mirror   GET /api/v1/users/{id} from the directory mirror (filled from the stand-in's org first)
#   search   GET /api/v1/directory/users?q=zhang&limit=20 from the mirror
# Usage: bench/profile.sh [read|change|mirror|search]     (about a minute; leaves target/bench/profile.jfr)
source "$(dirname "$0")/lib/harness.sh"
GATEWAY_JVM_OPTIONS="-Xms384m -Xmx576m -XX:FlightRecorderOptions:stackdepth=512"
source bench/lib/gateway.sh
KIND=${1:-read}

prepare_bench gateway_profile_bench
export BENCH_TOKEN
BENCH_TOKEN=$(signed_jwt "users:read accounts:write")
case "$KIND" in
  mirror|search)
    start_production_gateway "$WORK/profile-gateway.log" "$STANDIN" gateway_profile_bench "${UNPACED[@]}" "${MIRROR[@]}"
    await_mirror 300
    url="$GATEWAY/api/v1/users/user1001"
    [ "$KIND" = search ] && url="$GATEWAY/api/v1/directory/users?q=zhang&limit=20"
    ;;
  change)
    start_production_gateway "$WORK/profile-gateway.log" "$STANDIN" gateway_profile_bench "${UNPACED[@]}" "${NO_DIRECTORY[@]}"
    export BENCH_METHOD=PUT BENCH_BODY='{"corpIds":["ding12345678"],"fields":["mobile","status"]}'
    url="$GATEWAY/api/v1/org-accounts/visibility"
    ;;
  *)
    start_production_gateway "$WORK/profile-gateway.log" "$STANDIN" gateway_profile_bench "${UNPACED[@]}" "${NO_DIRECTORY[@]}"
    url="$GATEWAY/api/v1/users/user1001"
    ;;
esac
echo "# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
bench_wrk "warm-up $KIND" 64 25 "$url"
rm -f "$WORK/profile.jfr"
"$java_home/bin/jcmd" "$GATEWAY_PID" JFR.start name=bench settings=profile filename="$PWD/$WORK/profile.jfr" > /dev/null
bench_wrk "profiled $KIND" 64 30 "$url"
"$java_home/bin/jcmd" "$GATEWAY_PID" JFR.stop name=bench > /dev/null
stop_gateway
"$java_home/bin/jfr" view --width 220 hot-methods "$WORK/profile.jfr"
"$java_home/bin/jfr" view --width 220 allocation-by-class "$WORK/profile.jfr"
"$java_home/bin/jfr" print --events jdk.ExecutionSample --stack-depth 512 "$WORK/profile.jfr" \
  | python3 bench/lib/jfr-categories.py
