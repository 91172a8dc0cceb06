# nginx (the DingTalk stand-in and reference (b), the plain reverse proxy) and wrk, installed from
# Debian's packages when missing. Sourced after harness.sh.
STANDIN=http://127.0.0.1:18089            # tokens that live two hours
STANDIN_ROLLOVER=http://127.0.0.1:18087   # tokens that live 20 s
STANDIN_WALK=http://127.0.0.1:18086       # the simulated org behind 20 QPS
PROXY=http://127.0.0.1:18088
NGINX_PREFIX=$PWD/$WORK/nginx

install_tools() {
  local missing=()
  command -v nginx > /dev/null || missing+=(nginx)
  [ -f /usr/lib/nginx/modules/ngx_http_js_module.so ] || missing+=(libnginx-mod-http-js)
  command -v wrk > /dev/null || missing+=(wrk)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get install -y -q "${missing[@]}" > "$WORK/apt.log" 2>&1 \
      || { apt-get update -q > /dev/null && apt-get install -y -q "${missing[@]}" > "$WORK/apt.log" 2>&1; }
  fi
}

start_nginx() {
  rm -rf "$NGINX_PREFIX"
  mkdir -p "$NGINX_PREFIX/tmp"
  cp bench/nginx/* "$WORK/jwks.json" "$NGINX_PREFIX/"
  for conf in standin proxy; do
    nginx -p "$NGINX_PREFIX/" -c "$NGINX_PREFIX/$conf.conf" -e "$NGINX_PREFIX/$conf-error.log"
  done
  trap 'stop_nginx; for pid in "${PIDS[@]:-}"; do kill -9 "$pid" 2>/dev/null || true; done' EXIT
  await_url "$STANDIN/idp/jwks" 10
}

stop_nginx() {
  for conf in standin proxy; do
    [ -f "$NGINX_PREFIX/$conf.pid" ] && kill "$(cat "$NGINX_PREFIX/$conf.pid")" 2>/dev/null || true
  done
}

# wrk with bench/lib/report.lua: prints one line "requests=.. seconds=.. rps=.. non2xx=.. p50_ms=.. p99_ms=.."
bench_wrk() { # label, connections, seconds, url, extra wrk args...
  local label=$1 connections=$2 seconds=$3 url=$4; shift 4
  printf '%-28s ' "$label"
  wrk -t1 -c"$connections" -d"${seconds}s" --timeout 10s -s bench/lib/report.lua "$@" "$url" | grep '^requests='
}

cpu_seconds() { # pids...: user + system CPU seconds they have used
  local ticks=0 pid
  for pid in "$@"; do
    ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  awk -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f\n", ticks / hz }'
}

proxy_pids() { pgrep -P "$(cat "$NGINX_PREFIX/proxy.pid")"; }
standin_pids() { pgrep -P "$(cat "$NGINX_PREFIX/standin.pid")"; }

# bench_wrk, then the CPU each side used per request: "... cpu_us_per_request: gateway=.. standin=.."
bench_wrk_cpu() { # label, server pids (comma-separated), connections, seconds, url, extra wrk args...
  local label=$1 pids=$2 line before_server before_standin; shift 2
  before_server=$(cpu_seconds ${pids//,/ })
  before_standin=$(cpu_seconds $(standin_pids))
  line=$(bench_wrk "$label" "$@")
  awk -v line="$line" -v server="$(cpu_seconds ${pids//,/ })" -v s0="$before_server" \
      -v standin="$(cpu_seconds $(standin_pids))" -v t0="$before_standin" 'BEGIN {
    match(line, /requests=[0-9]+/); requests = substr(line, RSTART + 9, RLENGTH - 9)
    printf "%s server_cpu_us=%.0f standin_cpu_us=%.0f\n", line, 1e6 * (server - s0) / requests, 1e6 * (standin - t0) / requests }'
}
