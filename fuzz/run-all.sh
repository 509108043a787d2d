#!/usr/bin/env bash
# Runs every built fuzz target for SECONDS seconds from its seed corpus (fuzz/corpus/NAME for
# NAME_fuzz), with a scratch corpus under build/ so that the committed seeds stay small. Fails on
# any crash, on a target without a seed corpus, and on a target that is written but not built (either would otherwise not be run at all).
set -euo pipefail
build_dir=${1:?usage: run-all.sh BUILD_DIR SECONDS}
seconds=${2:?usage: run-all.sh BUILD_DIR SECONDS}
cd "$(dirname "$0")/.."
status=0
ran=0
# A target that is written but not built (missing from the fuzz build preset) would never run.
for source in fuzz/*_fuzz.cc; do
  if [ ! -x "$build_dir/fuzz/$(basename "$source" .cc)" ]; then
    echo "fuzz: $source is not built (add it to the fuzz build preset in CMakePresets.json)"
    status=1
  fi
done
for binary in "$build_dir"/fuzz/*_fuzz; do
  [ -x "$binary" ] || continue
  name=$(basename "$binary" _fuzz)
  seeds="fuzz/corpus/$name"
  if [ ! -d "$seeds" ]; then
    echo "fuzz: $name has no seed corpus at $seeds"
    status=1
    continue
  fi
  work="$build_dir/fuzz-corpus/$name"
  mkdir -p "$work"
  echo "fuzz: $name for ${seconds}s"
  ran=$((ran + 1))
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
if [ "$ran" -eq 0 ]; then
  echo "fuzz: no fuzz target was built in $build_dir/fuzz"
  status=1
fi
exit $status
