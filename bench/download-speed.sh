#!/usr/bin/env bash
# Issue 14's targets, side by side in one run: a file served by a real nginx on loopback, for
# each size (default 1 GiB and 4 GiB), medians of BENCH_RUNS (default 3) of:
#   unthrottled:   curl -o f && openssl dgst -sha256 f  |  curl -o f && sha256sum f
#                  curl -o f && sync f && openssl dgst (reference: durable like ours, not a target)
#                  ours with java -cp (built classes)  |  ours through ./jbang (the script)
#                  ours through the page cache only (MODEL_DEPOT_DIRECT_IO=0)
#                  ours as installed by model-store install-commands (with its class-data archive)
#                  the CPU floors: curl -o f alone, openssl dgst -sha256 alone (page cache)
#   limit_rate 25m per connection:
#                  aria2c -x16 -s16 --checksum=sha-256=…  |  ours --connections 16
# Each is timed by /usr/bin/time: wall, CPU (user+sys, children included) and peak RSS. The
# commands of a group run in turn, round after round, so the machine's drift hits all alike.
#
#   bench/download-speed.sh                      # 1024 and 4096 MiB
#   BENCH_SIZES_MB="1024" BENCH_RUNS=1 BENCH_JBANG=0 bench/download-speed.sh
#
# Needs nginx, curl, aria2c, openssl, sha256sum, /usr/bin/time, python3; disk for 3x the
# largest size. Ours runs with the JVM options the script gives itself (//JAVA_OPTIONS).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
SIZES=${BENCH_SIZES_MB:-1024 4096}
RUNS=${BENCH_RUNS:-3}
JBANG=${BENCH_JBANG:-1}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/depot-speed.XXXXXX)}
mkdir -p "$WORK/www" "$WORK/dl" "$WORK/nginx" bench/results
LOG="$REPO/bench/results/download-speed-$(date -u +%Y%m%dT%H%M%SZ).txt"
exec > >(tee "$LOG") 2>&1
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
for tool in "$NGINX" curl aria2c openssl sha256sum /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "missing: $tool"; exit 1; }
done

echo "== building (mvn -o compile) and resolving the classpath"
mvn -B -o -q compile >/dev/null
mvn -B -o -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null 2>&1 \
  || mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
# A private copy of the classes: a build running meanwhile cannot change what is measured.
rm -rf "$WORK/classes" && cp -r target/classes "$WORK/classes"
CP="$WORK/classes:$(cat target/bench-classpath.txt)"
JOPTS=$(sed -n 's|^//JAVA_OPTIONS ||p' scripts/download-model-with-progress.java)
OURS="java $JOPTS -cp $CP DownloadModelWithProgress"
SCRIPT="$REPO/jbang $REPO/scripts/download-model-with-progress.java"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SLOW=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$WORK/nginx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  default_type application/octet-stream;
  sendfile on;
  keepalive_requests 100000;
  server { listen 127.0.0.1:$PORT; root $WORK/www; location / { } }
  server { listen 127.0.0.1:$SLOW; root $WORK/www; limit_rate 25m; location / { } }
}
CONF
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
cleanup() { kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; [ -z "${BENCH_DIR:-}" ] && rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.1; done

# measure NAME CMD [NAME CMD ...]: runs the commands in turn, round after round ($RUNS rounds,
# the download folder cleared before each run), so a drift of the machine (page cache, the
# host's other guests) falls on every command alike. Records "wall cpu rss_kb" per run in
# $WORK/NAME.runs and prints each command's medians.
measure() {
  local args=("$@") i name cmd
  for ((i = 0; i < ${#args[@]}; i += 2)); do : > "$WORK/${args[i]}.runs"; done
  for _ in $(seq "$RUNS"); do
    for ((i = 0; i < ${#args[@]}; i += 2)); do
      name=${args[i]} cmd=${args[i + 1]}
      rm -rf "$WORK/dl" && mkdir -p "$WORK/dl"
      sync
      if /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.out" bash -c "$cmd" > "$WORK/out.txt" 2>&1; then
        awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$WORK/time.out" >> "$WORK/$name.runs"
      else
        echo "   $name FAILED:"; tail -3 "$WORK/out.txt"
      fi
    done
  done
  for ((i = 0; i < ${#args[@]}; i += 2)); do
    python3 - "$WORK/${args[i]}.runs" "${args[i]}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
if not rows:
    print("   %-28s no successful run" % sys.argv[2]); sys.exit()
w = statistics.median(float(r[0]) for r in rows); c = statistics.median(float(r[1]) for r in rows)
m = max(int(r[2]) for r in rows) / 1024
print("   %-28s wall %7.2f s   cpu %6.2f s   peak RSS %5.0f MB   (walls %s)" % (sys.argv[2], w, c, m, " ".join(r[0] for r in rows)))
PY
  done
}
med() { python3 -c 'import statistics,sys; r=[l.split() for l in open(sys.argv[1]) if l.strip()]; print("%.2f" % statistics.median(float(x[int(sys.argv[2])]) for x in r) if r else "nan")' "$WORK/$1.runs" "$2"; }
peak() { python3 -c 'import sys; r=[int(l.split()[2]) for l in open(sys.argv[1]) if l.strip()]; print(max(r)//1024 if r else 0)' "$WORK/$1.runs"; }
# floor CURL_CPU OPENSSL_CPU GIB OURS_CPU: "X s/GiB; ours / floor Y" ("nan" where a run failed).
floor() { python3 -c 'import sys; c, o, g, us = map(float, sys.argv[1:]); f = c + o; print("%.2f s/GiB; ours / floor %.2f" % (f / g, us / f if f > 0 else float("nan")))' "$@"; }
ratio() { python3 -c 'import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print("%.2f" % (a/b) if b > 0 else "nan")' "$1" "$2"; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GB RAM, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
grep -q sha_ni /proc/cpuinfo && echo "== CPU has SHA extensions (openssl and Java hash ~1 GB/s, coreutils sha256sum does not use them)"
if [ "$JBANG" = 1 ]; then
  echo "== warming ./jbang's cache (first build of the script, not measured)"
  $SCRIPT --version >/dev/null
  echo "== installing the launchers (model-store install-commands: the catalog's jar and a class-data archive)"
  ./jbang -o model-store@. install-commands --bin "$WORK/bin" 2>&1 | grep -v 'not on PATH' || true
  INSTALLED="$WORK/bin/download-model-with-progress"
fi

SUMMARY=""
for MB in $SIZES; do
  F="f$MB.bin"
  echo "== $MB MiB of random bytes"
  head -c "${MB}M" /dev/urandom > "$WORK/www/$F"
  SHA=$(openssl dgst -sha256 -r "$WORK/www/$F" | cut -d' ' -f1)
  cat "$WORK/www/$F" > /dev/null # nginx serves from the page cache in every run alike
  U="http://127.0.0.1:$PORT/$F"
  S="http://127.0.0.1:$SLOW/$F"
  echo " unthrottled"
  unthrottled=(
    "curl-openssl-$MB" "curl -s -o $WORK/dl/f $U && openssl dgst -sha256 $WORK/dl/f"
    "curl-sha256sum-$MB" "curl -s -o $WORK/dl/f $U && sha256sum $WORK/dl/f"
    # For reference, not a target: curl's file made durable too (ours fsyncs before the rename).
    "curl-fsync-openssl-$MB" "curl -s -o $WORK/dl/f $U && sync $WORK/dl/f && openssl dgst -sha256 $WORK/dl/f"
    "ours-$MB" "$OURS --url $U --sha256 $SHA -o $WORK/dl/f -q"
    # The same through the page cache only (the path files up to 256 MiB take), to show the choice.
    "ours-cached-$MB" "env MODEL_DEPOT_DIRECT_IO=0 $OURS --url $U --sha256 $SHA -o $WORK/dl/f -q"
    # The floors: what the machine charges any tool for the two halves of the job, apart.
    "curl-alone-$MB" "curl -s -o $WORK/dl/f $U"
    "openssl-alone-$MB" "openssl dgst -sha256 $WORK/www/$F")
  [ "$JBANG" = 1 ] && unthrottled+=("ours-jbang-$MB" "$SCRIPT --url $U --sha256 $SHA -o $WORK/dl/f -q"
                                    "ours-installed-$MB" "$INSTALLED --url $U --sha256 $SHA -o $WORK/dl/f -q")
  measure "${unthrottled[@]}"
  echo " nginx limit_rate 25m per connection"
  measure "aria2c-$MB" "aria2c -q -x16 -s16 -k1M --file-allocation=none --checksum=sha-256=$SHA -d $WORK/dl -o f $S" \
          "ours-25m-$MB" "$OURS --url $S --sha256 $SHA -o $WORK/dl/f -q --connections 16"
  rm -f "$WORK/www/$F"
  GIB=$(python3 -c "print($MB / 1024)")
  SUMMARY+="
$MB MiB: ours $(med ours-$MB 0) s, $(med ours-$MB 1) s CPU ($(python3 -c "print('%.2f' % ($(med ours-$MB 1) / $GIB))") s/GiB), peak RSS $(peak ours-$MB) MB
   ours / (curl && openssl)    $(ratio "$(med ours-$MB 0)" "$(med curl-openssl-$MB 0)")   target <= 1.0
   ours / (curl && sha256sum)  $(ratio "$(med ours-$MB 0)" "$(med curl-sha256sum-$MB 0)")   target <= 0.5
   ours / aria2c (25m/conn)    $(ratio "$(med ours-25m-$MB 0)" "$(med aria2c-$MB 0)")   target <= 0.6
   ours / (curl && sync f && openssl), both durable, for reference: $(ratio "$(med ours-$MB 0)" "$(med curl-fsync-openssl-$MB 0)")
   through the page cache only (MODEL_DEPOT_DIRECT_IO=0): $(med ours-cached-$MB 0) s, $(med ours-cached-$MB 1) s CPU, peak RSS $(peak ours-cached-$MB) MB
   CPU floor (curl -o alone + openssl dgst alone): $(floor "$(med curl-alone-$MB 1)" "$(med openssl-alone-$MB 1)" "$GIB" "$(med ours-$MB 1)")"
  [ "$JBANG" = 1 ] && SUMMARY+="
   through ./jbang: $(med ours-jbang-$MB 0) s, $(med ours-jbang-$MB 1) s CPU
   installed (install-commands, with its class-data archive): $(med ours-installed-$MB 0) s, $(med ours-installed-$MB 1) s CPU ($(python3 -c "print('%.2f' % ($(med ours-installed-$MB 1) / $GIB))") s/GiB); / (curl && openssl) $(ratio "$(med ours-installed-$MB 0)" "$(med curl-openssl-$MB 0)"), / (curl && sha256sum) $(ratio "$(med ours-installed-$MB 0)" "$(med curl-sha256sum-$MB 0)")"
done

echo
echo "================ summary (medians of $RUNS; load now $(cut -d' ' -f1-3 /proc/loadavg)) ================"
echo "$SUMMARY"
echo "targets: CPU <= 2.5 s per GiB including start-up; peak RSS <= 256 MB, 4 GiB no more than 1 GiB"
echo "log: $LOG"
