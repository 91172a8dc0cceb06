#!/usr/bin/env bash
# One full run of the benchmarks behind docs/benchmarks.md, one after another (they share the two
# cores and the ports), then the chart. Results: target/bench/{walk,token-cache,startup,overhead}.txt
# Usage: bench/all.sh     (about 25 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
bench/employee-walk.sh
bench/token-cache.sh
bench/startup.sh
bench/gateway-overhead.sh
bench/chart.sh
