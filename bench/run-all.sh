#!/usr/bin/env bash
# Runs every benchmark in one go and prints the ratios against the peers (curl, aria2c, sha256sum).
# Needs: nginx, curl, aria2c, openssl, /usr/bin/time (Debian: nginx-light curl aria2 openssl time).
# Results land in bench/results/ (git-ignored). Figures depend on the machine: quote them with it.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
mvn -B -q -o -DskipTests package >/dev/null 2>&1 || mvn -B -q -DskipTests package
for b in bench/startup-bench.sh bench/download-speed.sh bench/download-bench.sh bench/verify-bench.sh bench/bundle-bench.sh; do
  if [ -x "$b" ]; then
    echo "== $b"
    "$b" 2>&1 | tee "bench/results/$(basename "$b" .sh).txt"
  fi
done
