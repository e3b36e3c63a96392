#!/usr/bin/env bash
# Start-up of the commands, side by side with `java -version` on the same machine (issue 12):
#   installed check-models on a ready 1 GiB model   target <= 3 x java -version
#   installed check-models --help                   target <= 3 x java -version
#   ./jbang -o check-models@. --help (warm)         reported
#   first run on a fresh clone: ./jbang fetches JBang with mvn and compiles the suite   reported
# Prints wall-clock medians and CPU (user+sys) means, and both as ratios to java -version: CPU is
# the steadier figure on a shared machine. Needs hyperfine, git and GNU time.
#   SKIP_FIRST_RUN=1  skip the fresh-clone measurement (minutes on a loaded machine)
#   RUNS=N            runs per installed command (default 15; ./jbang gets a third of them)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
runs=${RUNS:-15}
jbang_runs=$(( runs / 3 > 2 ? runs / 3 : 2 ))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MODELDEPOT_CACHE="$work/store" NO_COLOR=1
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

# Install the launchers from the catalog's jar (compiles once if needed).
./jbang -o model-store@. install-commands --bin "$work/bin" 2>&1 | grep -v 'not on PATH' >&2
bin="$work/bin"
[[ -f "$bin/.model-depot.jsa" ]] || echo "warning: install-commands recorded no class-data archive" >&2

# A ready 1 GiB model: a registry entry measured from the file, then imported (verified) into the store.
head -c 1073741824 /dev/urandom > "$work/big.gguf"
echo '{"schemaVersion":1,"models":[]}' > "$work/registry.json"
"$bin/model-store" --registry "$work/registry.json" registry add --file "$work/big.gguf" --model big --variant v1 --role weights >/dev/null
"$bin/model-store" --registry "$work/registry.json" import "$work/big.gguf" --model big:v1 >/dev/null
rm "$work/big.gguf"  # the store holds its own copy; the check below must not need the source
"$bin/check-models" --registry "$work/registry.json" big >/dev/null || { echo "check-models does not call the model ready" >&2; exit 1; }

ratios() {  # hyperfine JSON -> one line per command: wall median, CPU mean, ratios to the first (java -version)
  python3 - "$1" "${2:-}" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = json.load(open(sys.argv[2]))["results"][0] if sys.argv[2] else results[0]
bw, bc = base["median"], base["user"] + base["system"]
for r in results:
    w, c = r["median"], r["user"] + r["system"]
    target = "  (target <= 3x: %s)" % ("met" if w / bw <= 3 else "NOT met") if "installed" in r["command"] else ""
    print("%-48s wall %6.3f s = %5.2fx   CPU %6.3f s = %5.2fx%s" % (r["command"], w, w / bw, c, c / bc, target))
PY
}

hyperfine -N --warmup 3 --runs "$runs" --export-json "$work/installed.json" --export-markdown "$work/installed.md" \
  -n 'java -version' 'java -version' \
  -n 'check-models, ready 1 GiB model (installed)' "$bin/check-models --registry $work/registry.json big" \
  -n 'check-models --help (installed)' "$bin/check-models --help" >/dev/null
hyperfine -N --warmup 1 --runs "$jbang_runs" --export-json "$work/jbang.json" \
  -n './jbang -o check-models@. --help (warm)' "$repo/jbang -o check-models@. --help" >/dev/null
echo
cat "$work/installed.md"
echo
ratios "$work/installed.json"
ratios "$work/jbang.json" "$work/installed.json"

if [[ -z "${SKIP_FIRST_RUN:-}" ]]; then
  # A fresh clone: no .jbang-cli/ (the wrapper fetches JBang with mvn from the local Maven cache)
  # and an empty JBANG_DIR (JBang compiles the suite). The Maven cache is warm, as after `mvn verify`.
  git clone -q "$repo" "$work/clone"
  /usr/bin/time -f '%e %U %S' -o "$work/first.time" env JBANG_DIR="$work/jbang-home" \
    "$work/clone/jbang" -o check-models@. --help >/dev/null 2>"$work/first.err" \
    || { cat "$work/first.err" >&2; exit 1; }
  read -r wall user sys < "$work/first.time"
  printf '%-48s wall %6.1f s            CPU %6.1f s\n' 'first run on a fresh clone (fetch JBang, compile)' "$wall" "$(echo "$user + $sys" | bc)"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
