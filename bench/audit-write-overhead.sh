#!/usr/bin/env bash
# Measures what the write-ahead audit adds to every change, on H2 (file) and on the local PostgreSQL.
# Usage: bench/audit-write-overhead.sh     (from the repository root; takes about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."

java_home=${BENCH_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25-jdk* 2>/dev/null | head -n 1)}
[ -n "$java_home" ] || { echo "set BENCH_JAVA_HOME to a JDK 21+"; exit 1; }

./mvnw -q -B -DskipTests compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=runtime
classpath="target/classes:$(cat target/bench.classpath)"
mkdir -p target/bench-classes
"$java_home/bin/javac" -proc:none -cp "$classpath" -d target/bench-classes bench/src/dev/dinggate/audit/AuditWriteBenchmark.java

echo "JDK: $("$java_home/bin/java" -version 2>&1 | head -n 1); machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB"
"$java_home/bin/java" -cp "target/bench-classes:$classpath" dev.dinggate.audit.AuditWriteBenchmark 2>&1 | grep -v ' INFO \| WARN '
