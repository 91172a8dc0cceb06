#!/usr/bin/env bash
# Figure 5 of docs/benchmarks.md: from launch to ready (readiness probe UP, polled every 20 ms) and
# resident memory after a peak read load, as the container runs it (layers extracted, java -jar):
# plain; with a JDK AOT cache from a training run (JEP 483/514/515, JDK 25) as the Dockerfile makes
# it; and with Spring AOT (`-Pspring-aot`, production profile only) plus an AOT cache trained on it.
# The directory mirror is on, as production runs it, but its first full sync is an hour away
# (check-interval), and the reads are strong (?consistency=strong): DingTalk is read, as before the mirror.
# Usage: bench/startup.sh     (about 7 minutes; loopback only; STARTS=5 starts of each kind)
source "$(dirname "$0")/lib/harness.sh"
source bench/lib/gateway.sh
SCHEMA=gateway_startup_bench
STARTS=${STARTS:-5}

prepare_bench "$SCHEMA"
export BENCH_TOKEN
BENCH_TOKEN=$(signed_jwt "users:read")
PACKAGED_JAR=$JAR

lay_out() { # folder: the image's layout, the layers of docker/extract-layers.sh in one folder; sets JAR
  rm -rf "$1" "$WORK/startup-layers"
  sh docker/extract-layers.sh "$PACKAGED_JAR" "$WORK/startup-layers" > /dev/null
  mkdir -p "$1"
  for layer in dependencies spring-boot-loader snapshot-dependencies application; do
    cp -r "$WORK/startup-layers/$layer/." "$1/"
  done
  JAR=$1/$(basename "$PACKAGED_JAR")
}

start_timed() { # label, extra JVM options...: prints ms to ready, Spring's own figure, and VmHWM after load
  local label=$1 started ready line answers options=$GATEWAY_JVM_OPTIONS; shift
  started=$(date +%s%N)
  GATEWAY_JVM_OPTIONS="$options $*"
  launch_production_gateway "$WORK/startup-gateway.log" "$STANDIN" "$SCHEMA" "${UNPACED[@]}" \
    --gateway.directory.check-interval=1h
  GATEWAY_JVM_OPTIONS=$options
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "$MANAGEMENT/actuator/health/readiness" && break
    sleep 0.02
  done
  ready=$(( ($(date +%s%N) - started) / 1000000 ))
  line=$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds (process running for [0-9.]*)' "$WORK/startup-gateway.log" || echo "no Started line")
  answers=$(bench_wrk "peak" 64 10 "$GATEWAY/api/v1/users/user1001?consistency=strong" | grep -o 'non2xx=[0-9]*')
  printf '%-34s ready_ms=%d rss_after_peak_mib=%s %s  [%s]\n' "$label" "$ready" "$(rss_peak_mib)" "$answers" "$line"
  stop_gateway
}

train() { # cache file, JVM options and properties...: a training run that stops once the context is ready
  # shellcheck disable=SC2086
  "$JAVA" $GATEWAY_JVM_OPTIONS -XX:AOTCacheOutput="$1" -Dspring.context.exit=onRefresh \
    -Dspring.datasource.url=jdbc:h2:mem:training "${@:2}" -jar "$JAR" > "$WORK/startup-training.log" 2>&1
  echo "AOT cache from the training run: $(du -m "$1" | cut -f1) MiB"
}

{
  echo "# $(date -u +%FT%TZ) $("$JAVA" -version 2>&1 | head -n 1), $(nproc) cores; JVM options: $GATEWAY_JVM_OPTIONS"
  lay_out "$WORK/startup-app"
  for i in $(seq 1 "$STARTS"); do start_timed "plain, start $i"; done

  # Training as the Dockerfile's AOT_CACHE=true does it: the sandbox. The cache is made next to the jar
  # the timed starts use: the JVM uses it only for the class path it was made with.
  train "$WORK/startup-app/gateway.aot"
  for i in $(seq 1 "$STARTS"); do start_timed "AOT cache, start $i" -XX:AOTCache="$WORK/startup-app/gateway.aot"; done

  # Spring AOT: Maven must run on a JDK 21+ to compile the generated sources. Its jar serves only the
  # production profile, so the training run is the production profile (H2 in memory, no IdP needed).
  # The jar in target/ keeps the generated classes until the next clean build; without
  # -Dspring.aot.enabled=true they are never used, so the other benchmarks are unaffected.
  JAVA_HOME=$java_home ./mvnw -q -B -DskipTests -Pspring-aot package > "$WORK/spring-aot-build.log" 2>&1
  lay_out "$WORK/startup-app-spring-aot"
  train "$WORK/startup-app-spring-aot/gateway.aot" -Dspring.aot.enabled=true -Dspring.profiles.active=production \
    -Ddingtalk.app-key=training -Ddingtalk.app-secret=training \
    -Dspring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:9/jwks
  for i in $(seq 1 "$STARTS"); do
    start_timed "Spring AOT + AOT cache, start $i" -Dspring.aot.enabled=true \
      -XX:AOTCache="$WORK/startup-app-spring-aot/gateway.aot"
  done
} | tee "$WORK/startup.txt"
