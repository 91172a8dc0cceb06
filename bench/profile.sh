#!/usr/bin/env bash
# Where the gateway's time goes under load: records a JDK Flight Recording of the gateway while wrk
# drives one path at peak, then prints JFR's hot methods and allocation views.
# Usage: bench/profile.sh [read|change]     (about a minute; leaves target/bench/profile.jfr)
source "$(dirname "$0")/lib/harness.sh"
GATEWAY_JVM_OPTIONS="-Xms384m -Xmx576m -XX:FlightRecorderOptions:stackdepth=512 -XX:StartFlightRecording=filename=$WORK/profile.jfr,settings=profile,delay=25s,duration=30s"
source bench/lib/gateway.sh
KIND=${1:-read}

prepare_bench gateway_profile_bench
start_production_gateway "$WORK/profile-gateway.log" "$STANDIN" gateway_profile_bench "${UNPACED[@]}"
export BENCH_TOKEN
BENCH_TOKEN=$(signed_jwt "users:read accounts:write")
if [ "$KIND" = change ]; then
  export BENCH_METHOD=PUT BENCH_BODY='{"corpIds":["ding12345678"],"fields":["mobile","status"]}'
  url="$GATEWAY/api/v1/org-accounts/visibility"
else
  url="$GATEWAY/api/v1/users/user1001"
fi
bench_wrk "warm-up $KIND" 64 25 "$url"
bench_wrk "profiled $KIND" 64 30 "$url"
stop_gateway
"$java_home/bin/jfr" view --width 220 hot-methods "$WORK/profile.jfr"
"$java_home/bin/jfr" view --width 220 allocation-by-class "$WORK/profile.jfr"
