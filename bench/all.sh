#!/usr/bin/env bash
# One full run of the benchmarks behind docs/benchmarks.md, one after another (they share the two
# cores and the ports), then the chart. Results: target/bench/{walk,directory-sync,token-cache,startup,
# overhead,overhead-mirror}.txt
# Usage: bench/all.sh     (about 30 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
bench/employee-walk.sh
bench/directory-sync.sh
bench/token-cache.sh
bench/startup.sh
bench/gateway-overhead.sh
bench/chart.sh
