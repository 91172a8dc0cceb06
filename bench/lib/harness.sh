# Shared by the reliability scripts: the packaged gateway on a JDK 21+, a WireMock stand-in for
# DingTalk, and PostgreSQL on 127.0.0.1:5432 (database test). Loopback only; every loop is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

java_home=${BENCH_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25-jdk* 2>/dev/null | head -n 1)}
JAVA="$java_home/bin/java"
export GATEWAY_PORT=${GATEWAY_PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
STANDIN_PORT=${STANDIN_PORT:-18089}
WORK=target/bench
mkdir -p "$WORK"
PIDS=()
trap 'for pid in "${PIDS[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done' EXIT

package_gateway() {
  ./mvnw -q -B -DskipTests package
  JAR=$(ls target/dingtalk-account-gateway-*.jar | grep -v original | head -n 1)
}

build() { # the gateway and the WireMock stand-in of the reliability scripts
  package_gateway
  ./mvnw -q -B dependency:copy -Dartifact=org.wiremock:wiremock-standalone:3.13.2 -DoutputDirectory="$WORK"
}

await_url() { # url, seconds
  for _ in $(seq 1 "$2"); do curl -sf -o /dev/null "$1" && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}

start_standin() { # change delay in ms
  "$JAVA" -jar "$WORK/wiremock-standalone-3.13.2.jar" --port "$STANDIN_PORT" --disable-banner \
    > "$WORK/standin.log" 2>&1 &
  PIDS+=($!)
  await_url "http://localhost:$STANDIN_PORT/__admin/health" 60
  curl -sf -o /dev/null -X POST "http://localhost:$STANDIN_PORT/__admin/mappings" -d \
    '{"request":{"method":"POST","url":"/v1.0/oauth2/accessToken"},"response":{"status":200,"jsonBody":{"accessToken":"bench-token-0001","expireIn":7200}}}'
  curl -sf -o /dev/null -X POST "http://localhost:$STANDIN_PORT/__admin/mappings" -d \
    "{\"request\":{\"method\":\"POST\",\"url\":\"/v1.0/contact/orgAccounts/dingTalkIds/change\"},\"response\":{\"status\":200,\"jsonBody\":{\"result\":true},\"fixedDelayMilliseconds\":$1}}"
}

reset_schema() { # schema
  psql -h 127.0.0.1 -U postgres -d test -q -c "DROP SCHEMA IF EXISTS $1 CASCADE"
}

start_gateway() { # schema, log file, extra args...
  local schema=$1 log=$2; shift 2
  # The sandbox profile for its HTTP Basic users; DingTalk is the stand-in, the audit store PostgreSQL.
  "$JAVA" -jar "$JAR" --server.port="$GATEWAY_PORT" --management.server.port="$MANAGEMENT_PORT" \
    --dingtalk.base-url="http://localhost:$STANDIN_PORT" --dingtalk.rate-limit.qps=1000 \
    --gateway.inbound.rate-limit.enabled=false \
    --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema" \
    --spring.datasource.username=postgres "$@" > "$log" 2>&1 &
  GATEWAY_PID=$!
  PIDS+=($GATEWAY_PID)
  await_url "http://localhost:$MANAGEMENT_PORT/actuator/health/readiness" 90
}

change() { # n: one DingTalk ID change for user<n>; prints the HTTP status
  curl -s -o /dev/null -w '%{http_code}\n' --max-time 60 -u admin:admin-password -X PUT \
    "http://localhost:$GATEWAY_PORT/api/v1/org-accounts/user$1/dingtalk-id" \
    -H 'Content-Type: application/json' -d "{\"dingTalkId\":\"bench$1x\"}" || echo "000"
}
export -f change

standin_changes() { # the userIds whose change reached the stand-in, one a line
  curl -sf "http://localhost:$STANDIN_PORT/__admin/requests?limit=100000" | python3 -c '
import json, sys
for entry in json.load(sys.stdin)["requests"]:
    request = entry["request"]
    if request["url"] == "/v1.0/contact/orgAccounts/dingTalkIds/change":
        print(json.loads(request["body"])["userId"])'
}
