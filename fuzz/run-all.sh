#!/usr/bin/env bash
# Runs every fuzz target for SECONDS seconds from its seed corpus (fuzz/corpus/NAME), with a
# scratch corpus under build/ so that the committed seeds stay small. Fails on any crash.
set -euo pipefail
build_dir=${1:?usage: run-all.sh BUILD_DIR SECONDS}
seconds=${2:?usage: run-all.sh BUILD_DIR SECONDS}
cd "$(dirname "$0")/.."
status=0
for seeds in fuzz/corpus/*/; do
  name=$(basename "$seeds")
  binary="$build_dir/fuzz/${name}_fuzz"
  work="$build_dir/fuzz-corpus/$name"
  mkdir -p "$work"
  echo "fuzz: $name for ${seconds}s"
  if ! "$binary" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$build_dir/fuzz-" "$work" "$seeds" \
      >"$build_dir/fuzz-$name.log" 2>&1; then
    echo "fuzz: $name FAILED; see $build_dir/fuzz-$name.log"
    tail -40 "$build_dir/fuzz-$name.log"
    status=1
  else
    grep -E "stat::number_of_executed_units" "$build_dir/fuzz-$name.log" || true
  fi
done
exit $status
