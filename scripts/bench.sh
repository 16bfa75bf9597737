#!/usr/bin/env bash
# Runs wgmon's JMH benchmarks (src/test/java/io/wgmon/bench). Arguments go to JMH, e.g.
#   scripts/bench.sh UapiParse -p peers=10000
# Default: every benchmark, 1 fork, 3 warm-up and 5 measured 1 s iterations, with the GC profiler
# (allocation per operation). Record results in docs/benchmarks.md with the machine they ran on.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt \
  -Dmdep.includeScope=test >/dev/null
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
if [ $# -eq 0 ]; then set -- -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc; fi
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
