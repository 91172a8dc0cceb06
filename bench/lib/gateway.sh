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

# Settings for the throughput figures: DingTalk's 20 QPS and the per-client budget would otherwise
# be what is measured. Both limiters still run on every request.
UNPACED=(--dingtalk.rate-limit.qps=1000000 --gateway.inbound.rate-limit.requests-per-second=1000000
         --gateway.inbound.rate-limit.burst=1000000)

prometheus_value() { # metric line prefix (name{labels}): its value, 0 when absent
  curl -sf "$MANAGEMENT/actuator/prometheus" | awk -v prefix="$1" 'index($0, prefix) == 1 { sum += $NF } END { printf "%.6f\n", sum + 0 }'
}

rss_peak_mib() { awk '/VmHWM/ { printf "%.0f\n", $2 / 1024 }' "/proc/$GATEWAY_PID/status"; }
