#!/usr/bin/env bash
# Session history at scale (issue 22), never part of verify: PEERS x DAYS x PER_DAY session rows written
# straight into a fresh store, then its size, one peer's whole history read page by page (the API's
# reader), the all-peers 24-hour window page by page, and a day's rows pruned in the retention's batches.
#
#   bench/history.sh            # PEERS=10000 DAYS=90 PER_DAY=20: 18 million rows, several GiB of disk
#   PEERS=1000 bench/history.sh # a tenth of it
#
# Prints the figures; docs/benchmarks.md ("Session history at scale") holds the last run's.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-10000} DAYS=${DAYS:-90} PER_DAY=${PER_DAY:-20}
./mvnw -B -q -ntp ${MVN_OFFLINE:+-o} package -DskipTests
DIR=$(mktemp -d /tmp/wgmon-history.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
echo "history bench: $PEERS peers x $DAYS days x $PER_DAY sessions a day; $(nproc) cores; store in $DIR"
java -Xmx256m -cp "target/test-classes:target/classes:target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*" io.wgmon.bench.HistoryBench "$DIR/store" "$PEERS" "$DAYS" "$PER_DAY"
