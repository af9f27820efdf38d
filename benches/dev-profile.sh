#!/usr/bin/env bash
# Measures what the course's dev profile (line tables only for exercise
# crates, no debug info for dependencies) saves against cargo's default dev
# profile (full debug info everywhere), on the part 02 exercises:
# cold build time, rebuild time after a one-line change (mostly linking),
# and target dir size. Both runs use fresh target dirs, one after the other.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=(-p request-parser -p raw-server -p router)
out=${1:-/tmp/serverlings-profile}
rm -rf "$out"; mkdir -p "$out"

run() { # name, extra cargo args...
  local name=$1; shift
  local dir="$out/$name"
  local t0 t1 t2
  t0=$(date +%s.%N)
  CARGO_TARGET_DIR="$dir" cargo build -q "${pkgs[@]}" --bins --tests "$@"
  t1=$(date +%s.%N)
  touch exercises/02-http/raw-server/src/main.rs
  CARGO_TARGET_DIR="$dir" cargo build -q -p raw-server --bins --tests "$@"
  t2=$(date +%s.%N)
  local size
  size=$(du -sm "$dir/debug" | cut -f1)
  printf '%-8s cold build %6.1f s   rebuild after a change %5.2f s   target %5d MiB\n' \
    "$name" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$size"
}

run default --config 'profile.dev.debug=true' --config 'profile.dev.package."*".debug=true'
run course
