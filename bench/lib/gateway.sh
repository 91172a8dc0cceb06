# The packaged gateway as production runs it: JWT resource server against the stand-in's JWK set,
# DingTalk at the given stand-in, audit store on the local PostgreSQL, heap sized as the Helm chart's
# 768 MiB limit gives it in the container (MaxRAMPercentage=75). Sourced after harness.sh; brings
# the nginx stand-in and the IdP key with it, which every gateway benchmark needs.
source bench/lib/nginx.sh
source bench/lib/jwt.sh
GATEWAY=http://127.0.0.1:$GATEWAY_PORT
MANAGEMENT=http://127.0.0.1:$MANAGEMENT_PORT
GATEWAY_JVM_OPTIONS=${GATEWAY_JVM_OPTIONS:--Xms384m -Xmx576m}

production_gateway_command() { # dingtalk url, audit schema, extra args...: sets GATEWAY_COMMAND
  local dingtalk=$1 schema=$2; shift 2
  # shellcheck disable=SC2206 # JVM options are a list
  GATEWAY_COMMAND=("$JAVA" $GATEWAY_JVM_OPTIONS -jar "$JAR" --spring.profiles.active=production \
    --server.port="$GATEWAY_PORT" --management.server.port="$MANAGEMENT_PORT" \
    --dingtalk.base-url="$dingtalk" --dingtalk.legacy-base-url="$dingtalk" \
    --spring.security.oauth2.resourceserver.jwt.jwk-set-uri="$STANDIN/idp/jwks" \
    --spring.security.oauth2.resourceserver.jwt.issuer-uri="$ISSUER" \
    --spring.security.oauth2.resourceserver.jwt.audiences="$AUDIENCE" \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" \
    --spring.datasource.username=postgres "$@")
}

# What every nginx benchmark starts from: tools, the jar, the IdP key, nginx, an empty audit schema.
prepare_bench() { # audit schema
  install_tools
  package_gateway
  make_jwks
  start_nginx
  reset_schema "$1"
}

launch_production_gateway() { # log file, dingtalk url, audit schema, extra args...: returns at once
  local log=$1; shift
  production_gateway_command "$@"
  DINGTALK_APP_KEY=bench-app-key DINGTALK_APP_SECRET=bench-app-secret "${GATEWAY_COMMAND[@]}" > "$log" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=("$GATEWAY_PID")
}

start_production_gateway() { # log file, dingtalk url, audit schema, extra args...: returns once ready
  launch_production_gateway "$@"
  await_url "$MANAGEMENT/actuator/health/readiness" 90
}

stop_gateway() {
  kill "$GATEWAY_PID" 2>/dev/null || true
  wait "$GATEWAY_PID" 2>/dev/null || true
}

# Settings for the throughput figures: DingTalk's 20 QPS, the per-client budget and the guard on reads
# that spend no quota (the directory mirror's) would otherwise be what is measured. Every limiter still
# runs on every request.
UNPACED=(--dingtalk.rate-limit.qps=1000000 --gateway.inbound.rate-limit.requests-per-second=1000000
         --gateway.inbound.rate-limit.burst=1000000
         --gateway.inbound.quota-free-rate-limit.requests-per-second=1000000
         --gateway.inbound.quota-free-rate-limit.burst=1000000)

# The gateway as production runs it reads user details from its directory mirror. Benchmarks whose reads
# must reach DingTalk (the read path, the token cache, start-up) switch it off; the stand-in on 18089
# serves the org of directory-org.js, which the mirror would otherwise fill from.
NO_DIRECTORY=(--gateway.directory.enabled=false)

# The directory mirror filled from the stand-in on 18089 (unpaced), without the event stream (no stand-in
# of it here): a full sync at once after start. await_mirror waits until it is ready.
MIRROR=(--gateway.directory.enabled=true --gateway.directory.check-interval=1s --dingtalk.stream.enabled=false)

await_mirror() { # seconds: returns once GET /api/v1/directory/status says ready
  local ops
  ops=$(signed_jwt "ops")
  for _ in $(seq 1 $(( $1 * 5 ))); do
    curl -sf -H "Authorization: Bearer $ops" "$GATEWAY/api/v1/directory/status" | grep -q '"state":"ready"' && return 0
    sleep 0.2
  done
  echo "the directory mirror was not ready within $1 s" >&2; return 1
}

prometheus_value() { # metric line prefix (name{labels}): its value, 0 when absent
  curl -sf "$MANAGEMENT/actuator/prometheus" | awk -v prefix="$1" 'index($0, prefix) == 1 { sum += $NF } END { printf "%.6f\n", sum + 0 }'
}

rss_peak_mib() { awk '/VmHWM/ { printf "%.0f\n", $2 / 1024 }' "/proc/$GATEWAY_PID/status"; }
