#!/usr/bin/env bash
# run_shards.sh TEST_BINARY SHARDS LOG_DIR: runs a gtest binary as SHARDS processes in parallel
# (gtest's GTEST_TOTAL_SHARDS / GTEST_SHARD_INDEX), each writing LOG_DIR/shard-N.log; prints each
# shard's summary and the failures, and fails if any shard did.
#
# Used for the sanitizer build: there, starting the 150 MB test binary costs ~0.5 s, so one
# process per test (ctest's way) spent ~12 of CI's minutes on start-ups alone.
set -uo pipefail
bin=$1 shards=$2
mkdir -p "$3" && logs=$(cd "$3" && pwd) || exit 1  # absolute: the shards run in the binary's directory
# The tests expect to run where ctest runs them: the binary's own directory.
cd "$(dirname "$bin")" || exit 1
pids=()
for ((i = 0; i < shards; i++)); do
  GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i "./$(basename "$bin")" --gtest_brief=1 >"$logs/shard-$i.log" 2>&1 &
  pids+=($!)
done
status=0
for ((i = 0; i < shards; i++)); do
  if wait "${pids[$i]}"; then
    echo "shard $i/$shards: $(grep -E '^\[  PASSED  \]' "$logs/shard-$i.log" | tail -n 1)"
  else
    status=1
    echo "shard $i/$shards FAILED (log: $logs/shard-$i.log):"
    grep -E '^\[  FAILED  \]|ERROR: (Address|Leak)Sanitizer|runtime error:' "$logs/shard-$i.log" | head -n 40
    tail -n 30 "$logs/shard-$i.log"
  fi
done
exit $status
