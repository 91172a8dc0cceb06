#!/usr/bin/env bash
# Figure 5 of docs/benchmarks.md: from launch to ready (readiness probe UP, polled every 20 ms) and
# resident memory after a peak read load, as the container runs it (layers extracted, java -jar),
# first plain, then with a JDK AOT cache from a training run (JEP 483/514/515, JDK 25).
# Usage: bench/startup.sh     (about 4 minutes; loopback only; STARTS=5 starts of each kind)
source "$(dirname "$0")/lib/harness.sh"
source bench/lib/nginx.sh
source bench/lib/jwt.sh
source bench/lib/gateway.sh
SCHEMA=gateway_startup_bench
STARTS=${STARTS:-5}
APP=$WORK/startup-app

prepare_bench "$SCHEMA"
export BENCH_TOKEN
BENCH_TOKEN=$(signed_jwt "users:read")

# The image's layout: the layers of docker/extract-layers.sh copied into one folder.
rm -rf "$APP" "$WORK/startup-layers"
sh docker/extract-layers.sh "$JAR" "$WORK/startup-layers" > /dev/null
mkdir -p "$APP"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  cp -r "$WORK/startup-layers/$layer/." "$APP/"
done
JAR=$APP/$(basename "$JAR")

start_timed() { # label, extra JVM options...: prints ms to ready, Spring's own figure, and VmHWM after load
  local label=$1 started ready line options=$GATEWAY_JVM_OPTIONS; shift
  started=$(date +%s%N)
  GATEWAY_JVM_OPTIONS="$options $*"
  launch_production_gateway "$WORK/startup-gateway.log" "$STANDIN" "$SCHEMA" "${UNPACED[@]}"
  GATEWAY_JVM_OPTIONS=$options
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "$MANAGEMENT/actuator/health/readiness" && break
    sleep 0.02
  done
  ready=$(( ($(date +%s%N) - started) / 1000000 ))
  line=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds (process running for [0-9.]*)' "$WORK/startup-gateway.log" || echo "no Started line")
  bench_wrk "peak" 64 10 "$GATEWAY/api/v1/users/user1001" > /dev/null
  printf '%-34s ready_ms=%d rss_after_peak_mib=%s  [%s]\n' "$label" "$ready" "$(rss_peak_mib)" "$line"
  stop_gateway
}

{
  echo "# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores; JVM options: $GATEWAY_JVM_OPTIONS"
  for i in $(seq 1 "$STARTS"); do start_timed "plain, start $i"; done

  # Training as the Dockerfile's AOT_CACHE=true does it: the sandbox, stopped once the context is ready.
  # shellcheck disable=SC2086
  # Same jar path as the timed starts: the JVM uses the cache only for the class path it was made with.
  "$JAVA" $GATEWAY_JVM_OPTIONS -XX:AOTCacheOutput="$APP/gateway.aot" -Dspring.context.exit=onRefresh \
    -Dspring.datasource.url=jdbc:h2:mem:training -jar "$JAR" > "$WORK/startup-training.log" 2>&1
  echo "AOT cache from the sandbox training run: $(du -m "$APP/gateway.aot" | cut -f1) MiB"
  for i in $(seq 1 "$STARTS"); do start_timed "AOT cache, start $i" -XX:AOTCache="$APP/gateway.aot"; done
} | tee "$WORK/startup.txt"
