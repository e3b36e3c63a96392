#!/usr/bin/env bash
# verify-model-integrity benchmark: in ONE run, on the same files,
#   1. one 2 GB GGUF: ours (structural check + SHA-256) vs sha256sum and openssl dgst -sha256
#   2. four 512 MB safetensors on all cores vs the same four one at a time (single-file throughput)
#   3. a stamp check of 20 files inside the process (target <= 50 ms)
# Files are read from the page cache (each is read once before timing), so this measures hashing,
# not the disk. Ours runs with plain `java -cp` (no JBang start-up). Results: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${BENCH_DATA:-/tmp/modeldepot-verify-bench}
OUT=bench/results
mkdir -p "$DATA" "$OUT"
RESULT="$OUT/verify-bench-$(date -u +%Y%m%dT%H%M%SZ).txt"

mvn -B -o -q compile >/dev/null
# The dependency plugin may be missing offline; then build the classpath from ~/.m2 directly.
if ! DEPS=$(mvn -B -o -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout 2>/dev/null) || [ -z "$DEPS" ]; then
  M2=${M2_REPO:-$HOME/.m2/repository}
  DEPS=$(ls "$M2"/info/picocli/picocli/4.7.7/picocli-4.7.7.jar \
    "$M2"/com/fasterxml/jackson/core/jackson-{databind,core,annotations}/2.18.2/*-2.18.2.jar \
    "$M2"/com/fasterxml/jackson/datatype/jackson-datatype-jsr310/2.18.2/*-2.18.2.jar \
    "$M2"/commons-codec/commons-codec/1.18.0/commons-codec-1.18.0.jar | tr '\n' ':')
fi
CP="target/classes:$DEPS"
bench() { java -Xmx512m -cp "$CP" dev.modeldepot.verify.bench.VerifyBench "$@"; }
# Runs a tool on the big file; prints NAME_seconds (wall), NAME_cpu_seconds (user+sys) and NAME_mbps.
tool() {
  local name=$1; shift
  local t; t=$( { /usr/bin/time -f "%e %U %S" "$@" >/dev/null; } 2>&1 | tail -1)
  set -- $t
  echo "${name}_seconds=$1"
  echo "${name}_cpu_seconds=$(echo "$2 + $3" | bc -l)"
  echo "${name}_mbps=$(echo "$BIG_BYTES / $1 / 1000000" | bc -l | cut -c1-7)"
}

BIG="$DATA/big.gguf"
[ -f "$BIG" ] || bench gen-gguf "$BIG" "${BIG_SIZE:-2000000000}"
PARTS=()
for i in 1 2 3 4; do
  f="$DATA/part-$i.safetensors"; [ -f "$f" ] || bench gen-safetensors "$f" "${PART_SIZE:-512000000}"; PARTS+=("$f")
done
cat "$BIG" "${PARTS[@]}" >/dev/null   # into the page cache, so every tool reads from memory

{
  echo "machine: $(nproc) cores, $(uname -sr), $(java -version 2>&1 | head -1)"
  echo "note: shared machine (other work may run at the same time); files served from the page cache; best of ${ROUNDS:-2} rounds"
  BIG_BYTES=$(stat -c %s "$BIG")
  echo "big_bytes=$BIG_BYTES"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
  # Rounds interleave the tools, so a burst of load from other work hits them alike.
  for round in $(seq "${ROUNDS:-2}"); do
    tool sha256sum sha256sum "$BIG"
    tool openssl openssl dgst -sha256 "$BIG"
    bench hash "$BIG"
    # Same four 512 MB files, same process set-up: one at a time, then all cores at once.
    bench parallel 1 "${PARTS[@]}"
    bench parallel "$(nproc)" "${PARTS[@]}" | sed 's/ours_parallel_[0-9]*/ours_parallel_all/'
  done
  bench stamps "$DATA/stamps" 20
  echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULT"

# Best of the rounds (highest throughput, least CPU), then the ratios.
awk -F= '
  /^ours_parallel_1_mbps=/ { one = $2 + 0 }
  /^ours_parallel_all_mbps=/ { rounds = rounds sprintf(" %.2f", ($2 + 0) / one) }
  /_mbps=/ { if (!($1 in v) || $2 + 0 > v[$1]) v[$1] = $2 + 0; next }
  /_cpu_seconds=/ { if (!($1 in v) || $2 + 0 < v[$1]) v[$1] = $2 + 0; next }
  END {
    for (k in v) if (k ~ /_mbps$|_cpu_seconds$/) printf "best_%s=%s\n", k, v[k];
    printf "ratio_ours_vs_sha256sum=%.2f\n", v["ours_single_mbps"] / v["sha256sum_mbps"];
    printf "ratio_ours_vs_openssl=%.2f\n", v["ours_single_mbps"] / v["openssl_mbps"];
    printf "ratio_parallel_vs_one_at_a_time=%.2f\n", v["ours_parallel_all_mbps"] / v["ours_parallel_1_mbps"];
    printf "ratio_parallel_vs_one_at_a_time_per_round=%s\n", rounds;
    printf "cpu_ratio_ours_vs_sha256sum=%.2f\n", v["sha256sum_cpu_seconds"] / v["ours_single_cpu_seconds"];
    printf "cpu_ratio_ours_vs_openssl=%.2f\n", v["openssl_cpu_seconds"] / v["ours_single_cpu_seconds"];
  }' "$RESULT" | sort | tee -a "$RESULT"
echo "results in $RESULT"
