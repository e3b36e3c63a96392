#!/usr/bin/env bash
# Runs download-model-with-progress against every hostile behaviour of docs/design/security.md
# ("Download and network") and prints, per case: exit code, wall time, peak RSS and the one
# sentence on stderr. Each case runs under `timeout` with its documented limit; peak RSS must
# stay at or under 256 MB. The machine may be shared: wall times are noisy, RSS is not.
#
#   bench/hostile-bench.sh
#
# Needs /usr/bin/time (GNU time) and a Maven build (test classes hold the hostile origin).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=$(mktemp -d /tmp/depot-hostile.XXXXXX)
mkdir -p bench/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOG="$REPO/bench/results/hostile-bench-$STAMP.txt"
exec > >(tee "$LOG") 2>&1

mvn -B -o -q test-compile >/dev/null
mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=target/hostile-classpath.txt >/dev/null
CP="$REPO/target/classes:$(cat target/hostile-classpath.txt)"
JOPTS=$(sed -n 's|^//JAVA_OPTIONS ||p' scripts/download-model-with-progress.java)
OURS="java $JOPTS -cp $CP DownloadModelWithProgress"

java -cp "$REPO/target/test-classes:$CP" dev.modeldepot.testing.HostileOriginMain "$WORK/port" &
ORIGIN=$!
trap 'kill $ORIGIN 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 300); do [ -s "$WORK/port" ] && break; sleep 0.1; done
BASE="http://127.0.0.1:$(cat "$WORK/port")"

# name | limit (s) | arguments. BENCH_CASES="deadline ctrl-c" runs only the cases named.
run() {
  local name=$1 limit=$2; shift 2
  [ -z "${BENCH_CASES:-}" ] || [[ " $BENCH_CASES " == *" $name "* ]] || return 0
  rm -rf "$WORK/out"; mkdir -p "$WORK/out"
  local code=0
  timeout --signal=KILL "$limit" /usr/bin/time -v -o "$WORK/time" $OURS "$@" >/dev/null 2>"$WORK/err" || code=$?
  local rss wall left
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$WORK/time" 2>/dev/null || echo "?")
  wall=$(awk -F': ' '/Elapsed \(wall/ {print $2}' "$WORK/time" 2>/dev/null || echo "killed")
  left=$(du -sk "$WORK/out" | cut -f1)
  printf '%-22s exit %-3s wall %-8s peak %4s MB  left %5s kB  | %s\n' "$name" "$code" "$wall" "$rss" "$left" "$(tail -1 "$WORK/err" | cut -c1-150)"
}

echo "== hostile cases ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
run endless-with-size     60 --url "$BASE/endless" --size 1048576 -o "$WORK/out/f"
run endless-no-size       60 --url "$BASE/endless" --max-size 64M -o "$WORK/out/f"
run trickle-min-speed     90 --url "$BASE/trickle" --min-speed 1k --min-speed-time 5 --retries 2 -o "$WORK/out/f"
run dropper-no-progress   90 --url "$BASE/dropper" --retries 3 -o "$WORK/out/f"
run oversized-headers     30 --url "$BASE/headers" -o "$WORK/out/f"
run redirect-to-file      30 --url "$BASE/to-file" -o "$WORK/out/f"
run huge-content-range    30 --url "$BASE/huge-range" -o "$WORK/out/f"
run deadline              30 --url "$BASE/trickle" --deadline 5 -o "$WORK/out/f"

# Ctrl-C during a 20 s Retry-After: SIGINT once the retry is announced, measure until exit.
[ -z "${BENCH_CASES:-}" ] || [[ " $BENCH_CASES " == *" ctrl-c "* ]] || exit 0
# `set -m`: without job control bash starts background jobs with SIGINT ignored, as no terminal would.
rm -rf "$WORK/out"; mkdir -p "$WORK/out"
set -m
$OURS --json --url "$BASE/retry-after" -o "$WORK/out/f" >"$WORK/events" 2>"$WORK/err" &
PID=$!
set +m
for _ in $(seq 1 600); do grep -q '"retry"' "$WORK/events" 2>/dev/null && break; sleep 0.05; done
START=$(date +%s%N); kill -INT $PID; code=0; wait $PID || code=$?
printf '%-22s exit %-3s SIGINT to exit: %d ms | %s\n' "ctrl-c-in-retry-after" "$code" $(( ($(date +%s%N) - START) / 1000000 )) "$(tail -1 "$WORK/err" | cut -c1-120)"
