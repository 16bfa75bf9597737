#!/usr/bin/env bash
# Session history at scale (issue 22), never part of verify: PEERS x DAYS x PER_DAY ended session rows
# written into a fresh store with the sqlite3 CLI (the indexes built after the rows), then
#   - on the store (io.wgmon.bench.HistoryBench): its size, a session's rows in the scan's commit, and a
#     connect's commit wait while the real retention prunes the first day;
#   - the packaged app started on that store in a namespace of its own (io.wgmon.bench.HistoryHttpBench):
#     one peer's whole history through the API, the status page's 24-hour timeline of all peers, and the
#     app's RSS before and after serving them;
#   - the floor, in the same sitting: the bare Quarkus app (bench/lib/bare-quarkus.sh: wgmon's extensions,
#     properties, launcher and flags) beside it, answering the same client's same requests for a peer's
#     history with the bytes of wgmon's two pages of one peer (taken from wgmon before its first pass), each
#     pass of it right after wgmon's. wgmon's figure less the floor's is what wgmon's own code costs.
#
#   bench/history.sh              # PEERS=10000 DAYS=90 PER_DAY=20: 18 million rows, several GiB of disk
#   PEERS=1000 bench/history.sh   # a tenth of it
#   STORE=/big/dir bench/history.sh  # the store there (kept afterwards; filled only when empty)
#   SKIP_BUILD=1 bench/history.sh     # target/ as it is
#   SKIP_STORE_BENCH=1 bench/history.sh  # only the app's figures
#   FLOOR=0 bench/history.sh          # without the bare Quarkus app
#   APP_DIR=../other/target/quarkus-app bench/history.sh  # another build of wgmon (an older commit), with
#                                     # this tree's client and floor
#
# Needs root (ip netns), sqlite3 and curl. Prints the figures; docs/benchmarks.md ("Session history at
# scale") holds the last run's.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS=${PEERS:-10000} DAYS=${DAYS:-90} PER_DAY=${PER_DAY:-20}
command -v sqlite3 >/dev/null || { echo "history bench: needs the sqlite3 CLI (apt-get install sqlite3)" >&2; exit 1; }
[ -n "${SKIP_BUILD:-}" ] || ./mvnw -B -q -ntp ${MVN_OFFLINE:+-o} package -DskipTests
CP="target/test-classes:target/classes:target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*"
APP_DIR=${APP_DIR:-target/quarkus-app}
if [ "${FLOOR:-1}" != 0 ]; then
  source bench/lib/bare-quarkus.sh
  bare_quarkus_build
fi
NS=wgmon-hist-$$
APP=
FLOOR_APP=
cleanup() {
  for pid in $APP $FLOOR_APP; do kill "$pid" 2>/dev/null || true; done
  ip netns del "$NS" 2>/dev/null || true
}
if [ -n "${STORE:-}" ]; then
  DIR=$STORE; mkdir -p "$DIR"
  trap 'cleanup' EXIT
else
  DIR=$(mktemp -d /tmp/wgmon-history.XXXXXX)
  trap 'cleanup; rm -rf "$DIR"' EXIT
fi
echo "history bench: $PEERS peers x $DAYS days x $PER_DAY sessions a day; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); store in $DIR; wgmon from $APP_DIR"

# fill_store DIR DAYS PER_DAY: a fresh store in DIR with PEERS x DAYS x PER_DAY ended sessions up to NOW
fill_store() {
  # the store's own schema (every migration), then the rows, then its session indexes rebuilt
  java -cp "$CP" io.wgmon.bench.HistoryStoreSchema "$1"
  local DB=$1/wgmon.db
  INDEXES=$(sqlite3 "$DB" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'session' AND sql IS NOT NULL")
  DROPS=$(sqlite3 "$DB" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'session' AND sql IS NOT NULL")
  SLOT=$(( 86400000 / $3 ))
  START=$(date +%s)
  # session i: peer i % PEERS, slot (i / PEERS) % PER_DAY of day i / (PEERS * PER_DAY); a random v4 id
  sqlite3 "$DB" <<SQL
PRAGMA synchronous = OFF;
PRAGMA cache_size = -2097152;
$DROPS
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $PEERS * $2 * $3 - 1),
     slot(i, p, s, day_start) AS (SELECT i, i % $PEERS, (i / $PEERS) % $3,
                                         $NOW - $2 * 86400000 + (i / ($PEERS * $3)) * 86400000 FROM n),
     row(i, p, s, start_time, endpoint) AS (
         SELECT i, p, s, day_start + s * $SLOT + (i * 2654435761) % ($SLOT / 4),
                '198.51.' || ((p >> 8) & 255) || '.' || (p & 255) || ':' || (40000 + s) FROM slot)
INSERT INTO session (id, interface, public_key, name, start_time, end_time, end_reason, rx_bytes, tx_bytes, endpoint, endpoints)
SELECT printf('%08x-%04x-4%03x-8%03x-%012x', random() & 4294967295, random() & 65535, random() & 4095, random() & 4095,
              random() & 281474976710655),
       'wg0', 'peer' || printf('%038d', p) || '0=', 'peer-' || p, start_time, start_time + $SLOT / 2, 'idle',
       1000000 + abs(random()) % 1000000, 100000 + abs(random()) % 100000, endpoint, start_time || ' ' || endpoint
FROM row;
COMMIT;
$INDEXES
PRAGMA wal_checkpoint(TRUNCATE);
SQL
  echo "$NOW" > "$1/now"
  echo "rows written and indexed in $(( $(date +%s) - START )) s"
}

if [ ! -s "$DIR/now" ]; then
  NOW=$(( $(date +%s) / 3600 * 3600 * 1000 ))
  fill_store "$DIR" "$DAYS" "$PER_DAY"
fi
NOW=$(cat "$DIR/now")

[ -n "${SKIP_STORE_BENCH:-}" ] || java -Xmx256m -cp "$CP" io.wgmon.bench.HistoryBench "$DIR" "$NOW"

# The packaged app on a store in a namespace of its own: no interface to watch, the retention told to
# keep every row. Its RSS first on an empty store, then on the full one before and after the queries
# (twice: the first pass also warms the JIT).
ip netns add "$NS"
ip -n "$NS" link set lo up
# wait_ready PID MANAGEMENT_PORT LOG NAME: until the app answers its readiness probe
wait_ready() {
  local began=$(date +%s)
  for _ in $(seq 1 2400); do
    ip netns exec "$NS" curl -sf -o /dev/null "http://127.0.0.1:$2/q/health/ready" && break
    kill -0 "$1" 2>/dev/null || { echo "the app stopped:"; tail -20 "$3"; exit 1; }
    sleep 0.5
  done
  echo "$4: ready in $(( $(date +%s) - began )) s"
}
start_app() {
  # through the launcher, as an operator runs it (jvm.options: its 64 MiB heap), per-peer metrics on
  ip netns exec "$NS" env WGMON_STORE_DIR="$1" WGMON_HISTORY_MAX_AGE=$(( DAYS + 30 ))d \
    WGMON_HISTORY_MAX_ROWS=$(( PEERS * DAYS * PER_DAY * 2 )) QUARKUS_HTTP_PORT=18080 QUARKUS_MANAGEMENT_PORT=18090 \
    "$APP_DIR/wgmon" > "$DIR/app.log" 2>&1 &
  APP=$!  # ip netns exec, env and the launcher exec in place: this is the JVM
  wait_ready "$APP" 18090 "$DIR/app.log" "app on $1"
  sleep 10
}
# start_floor ANSWERS: the bare Quarkus app beside wgmon, answering a peer's pages with ANSWERS/first.json
# and ANSWERS/next.json
start_floor() {
  ip netns exec "$NS" env BARE_ANSWERS="$1" QUARKUS_HTTP_PORT=18081 QUARKUS_MANAGEMENT_PORT=18091 \
    "$BARE_APP/wgmon" > "$DIR/floor.log" 2>&1 &
  FLOOR_APP=$!
  wait_ready "$FLOOR_APP" 18091 "$DIR/floor.log" "the bare Quarkus app"
  sleep 10
}
# capture_pages ANSWERS: one peer's two pages, as wgmon answers them, into ANSWERS/first.json and next.json
capture_pages() {
  local url next
  url="http://127.0.0.1:18080/api/peers/$(printf 'peer%038d0=' $(( PEERS / 2 )))/sessions?limit=1000"
  mkdir -p "$1"
  ip netns exec "$NS" curl -sf -o "$1/first.json" "$url"
  next=$(sed -n 's/.*"next":"\([^"]*\)"}$/\1/p' "$1/first.json")
  [ -n "$next" ] || { echo "history bench: no second page in wgmon's answer ($(wc -c < "$1/first.json") bytes)"; exit 1; }
  ip netns exec "$NS" curl -sf -o "$1/next.json" "$url&cursor=$next"
  echo "floor's answers: wgmon's two pages of one peer, $(wc -c < "$1/first.json") and $(wc -c < "$1/next.json") bytes"
}
floor_queries() {
  ip netns exec "$NS" java -cp "$CP" io.wgmon.bench.HistoryHttpBench http://127.0.0.1:18081 "$PEERS" "$NOW" \
    "$FLOOR_APP" peers-only | sed "s/^/floor (bare Quarkus), $1: /"
}
stop_app() { kill "$APP"; wait "$APP" 2>/dev/null || true; }
stop_floor() { [ -z "$FLOOR_APP" ] || { kill "$FLOOR_APP"; wait "$FLOOR_APP" 2>/dev/null || true; FLOOR_APP=; }; }
rss() { echo $(( $(awk '/VmRSS/ {print $2}' "/proc/$APP/status") / 1024 )); }

# The same queries on a store of one session a peer and on the full one: what the full history adds to
# the app's RSS is the difference (the first queries load and compile the API's code whatever the store holds).
queries() {
  ip netns exec "$NS" java -cp "$CP" io.wgmon.bench.HistoryHttpBench http://127.0.0.1:18080 "$PEERS" "$NOW" "$APP" \
    | sed "s/^/$1: /"
}
rm -rf "$DIR/small"
mkdir -p "$DIR/small"
fill_store "$DIR/small" 1 1 > /dev/null
cp "$DIR/now" "$DIR/small/now"
start_app "$DIR/small"
SMALL_REST=$(rss)
queries "one session a peer, first pass" > /dev/null
queries "one session a peer, second pass" > /dev/null
SMALL=$(rss)
stop_app
rm -rf "$DIR/small"
start_app "$DIR"
REST=$(rss)
queries "first pass"
FIRST=$(rss)
if [ "${FLOOR:-1}" != 0 ]; then
  capture_pages "$DIR/floor"
  start_floor "$DIR/floor"
  floor_queries "first pass"
fi
queries "second pass"
SECOND=$(rss)
[ -z "$FLOOR_APP" ] || floor_queries "second pass"
stop_floor
stop_app
echo "app RSS (MiB): with one session a peer $SMALL_REST at rest and $SMALL after two passes of the same queries;" \
  "with the full history $REST at rest, $FIRST after the first pass, $SECOND after the second"
