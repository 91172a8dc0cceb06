#!/usr/bin/env bash
# Draws docs/benchmarks-throughput.svg and docs/benchmarks-latency.svg from target/bench/overhead.txt
# (gnuplot from Debian's packages, installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v gnuplot > /dev/null || apt-get install -y -q gnuplot-nox > /dev/null
results=target/bench/overhead.txt
data=target/bench/chart
mkdir -p "$data"
value() { grep "^$1" "$results" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p"; }

for kind in read change; do
  for ref in "(a) direct" "(b) nginx proxy" "(c) gateway"; do
    printf '"%s" %s\n' "$ref" "$(value "$kind $ref peak" rps)"
  done > "$data/$kind-peak.dat"
  for ref in "(a) direct" "(b) nginx proxy" "(c) gateway"; do
    printf '"%s" %s %s\n' "$ref" "$(value "$kind $ref half-peak" p50_ms)" "$(value "$kind $ref half-peak" p99_ms)"
  done > "$data/$kind-half.dat"
done

gnuplot <<GNUPLOT
set terminal svg size 900,380 font "sans,12" noenhanced
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set grid ytics
set key top left opaque

set output "docs/benchmarks-throughput.svg"
set multiplot layout 1,2 title "Peak throughput, requests/s (2 cores, wrk 64 connections)"
set logscale y
set yrange [100:300000]
set format y "%.0f"
set title "GET /api/v1/users/{id}"
plot "$data/read-peak.dat" using 2:xtic(1) notitle lc rgb "#4477aa"
set title "PUT /api/v1/org-accounts/visibility"
plot "$data/change-peak.dat" using 2:xtic(1) notitle lc rgb "#ee6677"
unset multiplot

set output "docs/benchmarks-latency.svg"
unset logscale y
set yrange [0:*]
set format y "%g"
set multiplot layout 1,2 title "Latency at half of the gateway's peak rate, ms"
set title "GET /api/v1/users/{id}"
plot "$data/read-half.dat" using 2:xtic(1) title "p50" lc rgb "#4477aa", "" using 3 title "p99" lc rgb "#ee6677"
set title "PUT /api/v1/org-accounts/visibility"
plot "$data/change-half.dat" using 2:xtic(1) title "p50" lc rgb "#4477aa", "" using 3 title "p99" lc rgb "#ee6677"
unset multiplot
GNUPLOT
echo "written docs/benchmarks-throughput.svg, docs/benchmarks-latency.svg"
