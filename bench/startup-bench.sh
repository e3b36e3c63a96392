#!/usr/bin/env bash
# Start-up of the commands, side by side with `java -version` on the same machine (issue 12):
#   installed check-models on a ready 1 GiB model   target <= 3 x java -version
#   installed check-models --help                   target <= 3 x java -version
#   ./jbang -o check-models@. --help (warm)         reported
#   first run through the catalog with an empty JBang cache (compiles the suite)  reported
# Needs hyperfine. Set SKIP_FIRST_RUN=1 to skip the (slow) compile measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MODELDEPOT_CACHE="$work/store" NO_COLOR=1

# Install the launchers from the catalog's jar (compiles once if needed).
./jbang -o model-store@. install-commands --bin "$work/bin" >/dev/null
bin="$work/bin"

# A ready 1 GiB model: a registry entry measured from the file, then imported (verified) into the store.
head -c 1073741824 /dev/urandom > "$work/big.gguf"
echo '{"schemaVersion":1,"models":[]}' > "$work/registry.json"
"$bin/model-store" --registry "$work/registry.json" registry add --file "$work/big.gguf" --model big --variant v1 --role weights >/dev/null
"$bin/model-store" --registry "$work/registry.json" import "$work/big.gguf" --model big:v1 >/dev/null
"$bin/check-models" --registry "$work/registry.json" big >/dev/null

hyperfine -N --warmup 3 --runs 15 --export-markdown "$work/startup.md" \
  -n 'java -version' 'java -version' \
  -n 'check-models (installed, ready 1 GiB model)' "$bin/check-models --registry $work/registry.json big" \
  -n 'check-models --help (installed)' "$bin/check-models --help" \
  -n './jbang -o check-models@. --help (warm)' "$repo/jbang -o check-models@. --help"
cat "$work/startup.md"

if [[ -z "${SKIP_FIRST_RUN:-}" ]]; then
  # First run from the catalog with an empty JBang cache: fetch nothing (Maven repo is warm), compile the suite.
  fresh=$(mktemp -d)
  start=$(date +%s.%N)
  JBANG_DIR="$fresh" ./jbang -o check-models@. --help >/dev/null
  end=$(date +%s.%N)
  printf 'first run (empty JBANG_DIR, compiles the suite): %.1f s\n' "$(echo "$end - $start" | bc)"
  rm -rf "$fresh"
fi
