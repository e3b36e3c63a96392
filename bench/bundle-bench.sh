#!/usr/bin/env bash
# Offline bundles benchmark, in ONE run on the same disk: a BUNDLE_SIZE (default 4 GiB) model
#   cp -r of the store's blob folder                      (the peer: a plain copy)
#   model-store export MODEL --to DIR                     (copy + SHA-256 of every blob, overlapped)
#   model-store export MODEL --to FILE.tar                (the same into a POSIX tar)
#   model-store import-bundle DIR into an empty store     (copy + SHA-256, then install)
# Medians of 3; the source is read once before timing (page cache), outputs are removed between
# runs. Target (issue 16): export and import <= 1.25 x cp -r. Results: bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${BENCH_DATA:-/tmp/modeldepot-bundle-bench}
SIZE=${BUNDLE_SIZE:-4294967296}
OUT=bench/results
mkdir -p "$DATA" "$OUT"
RESULT="$OUT/bundle-bench-$(date -u +%Y%m%dT%H%M%SZ).txt"

mvn -B -o -q compile >/dev/null
M2=${M2_REPO:-$HOME/.m2/repository}
DEPS=$(ls "$M2"/info/picocli/picocli/4.7.7/picocli-4.7.7.jar \
  "$M2"/com/fasterxml/jackson/core/jackson-{databind,core,annotations}/2.18.2/*-2.18.2.jar \
  "$M2"/com/fasterxml/jackson/datatype/jackson-datatype-jsr310/2.18.2/*-2.18.2.jar \
  "$M2"/commons-codec/commons-codec/1.18.0/commons-codec-1.18.0.jar | tr '\n' ':')
mkdir -p "$DATA/main"
cat > "$DATA/main/ModelStoreMain.java" <<'JAVA'
public class ModelStoreMain {
    public static void main(String[] args) {
        dev.modeldepot.cli.Cli.main(new dev.modeldepot.cli.ModelStoreCommand(), args);
    }
}
JAVA
javac -cp "target/classes:$DEPS" -d "$DATA/main" "$DATA/main/ModelStoreMain.java"
CP="$PWD/target/classes:$DEPS:$DATA/main"
# A real executable (not a shell function), so /usr/bin/time can run it.
printf '#!/bin/sh\nexec java -cp "%s" ModelStoreMain --registry "%s" "$@"\n' "$CP" "$DATA/registry.json" > "$DATA/main/model-store"
chmod +x "$DATA/main/model-store"
store() { "$DATA/main/model-store" "$@"; }

MODEL="$DATA/files/big.gguf"
if [ ! -f "$MODEL" ] || [ "$(stat -c %s "$MODEL")" != "$SIZE" ]; then
  mkdir -p "$DATA/files"
  openssl enc -aes-128-ctr -pass pass:bench -nosalt -pbkdf2 < /dev/zero 2>/dev/null | head -c "$SIZE" > "$MODEL"
fi
SHA=$(openssl dgst -sha256 -r "$MODEL" | cut -d' ' -f1)
cat > "$DATA/registry.json" <<JSON
{"schemaVersion": 1, "models": [{"id": "big", "name": "Big", "variants": [{"id": "q4", "default": true,
 "files": [{"path": "big.gguf", "url": "https://models.example.org/big.gguf", "size": $SIZE, "sha256": "$SHA"}]}]}]}
JSON
rm -rf "$DATA/store" && store --cache-dir "$DATA/store" import "$DATA/files" --model big >/dev/null
cat "$DATA/store/blobs/sha256/$SHA" > /dev/null

# Prints the median wall time of 3 runs of a command; CLEAN runs before each.
median() {
  local clean=$1; shift
  local times=()
  for _ in 1 2 3; do
    eval "$clean"; sync
    /usr/bin/time -o "$DATA/time.txt" -f "%e" "$@" >/dev/null 2>&1
    times+=("$(tail -1 "$DATA/time.txt")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 2p
}

cp_s=$(median "rm -rf $DATA/cp" cp -r "$DATA/store/blobs/sha256" "$DATA/cp")
export_dir_s=$(median "rm -rf $DATA/bundle" "$DATA/main/model-store" --cache-dir "$DATA/store" export big --to "$DATA/bundle")
export_tar_s=$(median "rm -f $DATA/bundle.tar" "$DATA/main/model-store" --cache-dir "$DATA/store" export big --to "$DATA/bundle.tar")
rm -rf "$DATA/bundle"; store --cache-dir "$DATA/store" export big --to "$DATA/bundle" >/dev/null
import_s=$(median "rm -rf $DATA/store2" "$DATA/main/model-store" --cache-dir "$DATA/store2" import-bundle "$DATA/bundle")
rm -rf "$DATA/cp" "$DATA/store2" "$DATA/bundle.tar"
{
  echo "bundle benchmark, $(date -u +%FT%TZ), $(nproc) cores, $((SIZE / 1048576)) MiB model, medians of 3"
  echo "cp_r_seconds=$cp_s"
  echo "export_folder_seconds=$export_dir_s ratio=$(echo "$export_dir_s / $cp_s" | bc -l | cut -c1-5)"
  echo "export_tar_seconds=$export_tar_s ratio=$(echo "$export_tar_s / $cp_s" | bc -l | cut -c1-5)"
  echo "import_bundle_seconds=$import_s ratio=$(echo "$import_s / $cp_s" | bc -l | cut -c1-5)"
} | tee "$RESULT"
