#!/usr/bin/env bash
# Benchmarks download-model-with-progress against curl+sha256sum and aria2c, in one run, on a
# file served by a real nginx on loopback. Prints ratios (ours / theirs: below 1 means faster).
#
#   bench/download-bench.sh                 # 1 GB file; the 4 GB RSS step runs when disk allows
#   BENCH_SIZE_MB=2048 BENCH_BIG=0 bench/download-bench.sh
#
# Env: BENCH_SIZE_MB (default 1024), BENCH_BIG (1/0: the 4 GB peak-RSS step; default: on when
# 14 GB are free), BENCH_RUNS (hyperfine runs, default 3), BENCH_DIR (work dir, default a new
# /tmp dir, removed at the end). Needs nginx, curl, aria2c, hyperfine, /usr/bin/time, python3.
#
# Our side runs as `java -cp target/classes:<deps>` (Maven-built classes plus the classpath from
# `mvn dependency:build-classpath`), so JBang's startup and compile cache stay out of the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
SIZE_MB=${BENCH_SIZE_MB:-1024}
RUNS=${BENCH_RUNS:-3}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/depot-bench.XXXXXX)}
mkdir -p "$WORK/www" "$WORK/dl" "$WORK/nginx" bench/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
LOG="$REPO/bench/results/download-bench-$STAMP.txt"
exec > >(tee "$LOG") 2>&1

for tool in nginx curl aria2c hyperfine python3; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "missing: $tool"; exit 1; }
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

echo "== building (mvn -o compile) and resolving the classpath"
mvn -B -o -q compile >/dev/null
# The dependency plugin may need its own dependencies once: offline first, then online.
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null 2>&1 \
  || mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
CP="$REPO/target/classes:$(cat target/bench-classpath.txt)"
# The same JVM options the script gives itself (//JAVA_OPTIONS: a small heap keeps RSS flat).
JOPTS=$(sed -n 's|^//JAVA_OPTIONS ||p' scripts/download-model-with-progress.java)
OURS="java $JOPTS -cp $CP DownloadModelWithProgress"

NGINX_PID=""
start_nginx() { # $1 = limit_rate ("" for none)
  stop_nginx
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local limit=""
  [ -n "$1" ] && limit="limit_rate $1;"
  cat > "$WORK/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  log_format bytes '\$request_uri \$status \$body_bytes_sent';
  access_log $WORK/nginx/access.log bytes;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  default_type application/octet-stream;
  sendfile on;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$PORT; root $WORK/www; $limit location / { } }
}
CONF
  : > "$WORK/nginx/access.log"
  "$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
  NGINX_PID=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done
  URL="http://127.0.0.1:$PORT"
}
stop_nginx() { [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null; NGINX_PID=""; }
cleanup() { stop_nginx; [ -z "${BENCH_DIR:-}" ] && rm -rf "$WORK"; }
trap cleanup EXIT

mean() { python3 -c 'import json,sys; print("%.2f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$1"; }
ratio() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }
body_bytes() { python3 -c 'import sys; print(sum(int(l.split()[2]) for l in open(sys.argv[1]) if l.strip()))' "$WORK/nginx/access.log"; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GB RAM, $(java -version 2>&1 | head -1)"
echo "== creating a ${SIZE_MB} MB file of random bytes"
head -c "${SIZE_MB}M" /dev/urandom > "$WORK/www/file.bin"
SHA=$(sha256sum "$WORK/www/file.bin" | cut -d' ' -f1)
cat "$WORK/www/file.bin" > /dev/null # served from the page cache in every run alike

echo "== (a) unthrottled: ours vs curl -o f && sha256sum f"
start_nginx ""
hyperfine --runs "$RUNS" --prepare "rm -f $WORK/dl/*" --export-json "$WORK/a-curl.json" \
  "curl -s -o $WORK/dl/curl.bin $URL/file.bin && sha256sum $WORK/dl/curl.bin"
hyperfine --runs "$RUNS" --prepare "rm -f $WORK/dl/* $WORK/dl/.??*" --export-json "$WORK/a-ours.json" \
  "$OURS --url $URL/file.bin --sha256 $SHA -o $WORK/dl/ours.bin -q -v 2>>$REPO/bench/results/ours-errors-$STAMP.txt"
A_CURL=$(mean "$WORK/a-curl.json"); A_OURS=$(mean "$WORK/a-ours.json")

echo "== (b) nginx limit_rate 25m per connection: ours vs aria2c -x16 -s16 --checksum"
start_nginx "25m"
hyperfine --runs "$RUNS" --prepare "rm -f $WORK/dl/*" --export-json "$WORK/b-aria.json" \
  "aria2c -q -x16 -s16 -k1M --allow-overwrite=true --auto-file-renaming=false --file-allocation=none --checksum=sha-256=$SHA -d $WORK/dl -o aria.bin $URL/file.bin"
hyperfine --runs "$RUNS" --prepare "rm -f $WORK/dl/* $WORK/dl/.??*" --export-json "$WORK/b-ours.json" \
  "$OURS --url $URL/file.bin --sha256 $SHA -o $WORK/dl/ours.bin -q -v --connections 16 2>>$REPO/bench/results/ours-errors-$STAMP.txt"
B_ARIA=$(mean "$WORK/b-aria.json"); B_OURS=$(mean "$WORK/b-ours.json")

echo "== (d) kill -9 at 50 % (limit_rate 25m), then resume: bytes fetched twice"
rm -f "$WORK"/dl/* "$WORK"/dl/.??*
start_nginx "25m"
$OURS --url "$URL/file.bin" --sha256 "$SHA" -o "$WORK/dl/ours.bin" -q --connections 16 &
CHILD=$!
HALF=$(( SIZE_MB * 1024 * 1024 / 2 ))
while kill -0 $CHILD 2>/dev/null; do
  DONE=$(python3 -c 'import json,sys
try: print(sum(b-a for a,b in json.load(open(sys.argv[1]))["completed"]))
except Exception: print(0)' "$WORK/dl/.ours.bin.part.json")
  [ "$DONE" -ge "$HALF" ] && break
  sleep 0.05
done
kill -9 $CHILD 2>/dev/null || echo "(finished before the kill: use a bigger BENCH_SIZE_MB)"; wait $CHILD 2>/dev/null || true
sleep 1
SAVED=$(python3 -c 'import json,sys; print(sum(b-a for a,b in json.load(open(sys.argv[1]))["completed"]))' "$WORK/dl/.ours.bin.part.json")
$OURS --url "$URL/file.bin" --sha256 "$SHA" -o "$WORK/dl/ours.bin" -q --connections 16
sleep 1
SENT=$(body_bytes)
TOTAL=$(( SIZE_MB * 1024 * 1024 ))
REFETCHED=$(( SENT - TOTAL ))
D_OK=$([ "$(sha256sum "$WORK/dl/ours.bin" | cut -d' ' -f1)" = "$SHA" ] && echo verified || echo WRONG)

C_RSS="skipped"
BIG=${BENCH_BIG:-auto}
if [ "$BIG" = auto ]; then
  FREE_GB=$(df -BG --output=avail "$WORK" | tail -1 | tr -dc 0-9)
  BIG=$([ "$FREE_GB" -ge 14 ] && echo 1 || echo 0)
fi
if [ "$BIG" = 1 ]; then
  echo "== (c) peak RSS downloading a 4 GB file"
  rm -f "$WORK"/dl/* "$WORK"/dl/.??* "$WORK/www/file.bin"
  head -c 4G /dev/urandom > "$WORK/www/big.bin"
  BIG_SHA=$(sha256sum "$WORK/www/big.bin" | cut -d' ' -f1)
  start_nginx ""
  /usr/bin/time -v $OURS --url "$URL/big.bin" --sha256 "$BIG_SHA" -o "$WORK/dl/big.bin" -q 2> "$WORK/time.txt" \
    || { echo "the 4 GB download failed:"; grep -v '^\s' "$WORK/time.txt" | head -5; }
  C_RSS=$(awk -F': ' '/Maximum resident set size/{printf "%.0f MB", $2/1024}' "$WORK/time.txt")
  C_WALL=$(awk -F': ' '/Elapsed/{print $2}' "$WORK/time.txt")
  C_RSS="$C_RSS (wall $C_WALL)"
fi

echo
echo "================ results (${SIZE_MB} MB file, nginx on loopback, $RUNS runs each) ================"
echo "(a) unthrottled      ours ${A_OURS}s  vs curl+sha256sum ${A_CURL}s   ratio $(ratio "$A_OURS" "$A_CURL")  (target <= 0.6)"
echo "(b) limit_rate 25m   ours ${B_OURS}s  vs aria2c -x16 ${B_ARIA}s      ratio $(ratio "$B_OURS" "$B_ARIA")  (target <= 0.8)"
echo "(c) peak RSS, 4 GB   $C_RSS  (target <= 256 MB)"
echo "(d) kill -9 at 50 %  state had $SAVED bytes; re-fetched $REFETCHED bytes ($(ratio "$REFETCHED" "$TOTAL") of the file), result $D_OK"
echo "log: $LOG"
