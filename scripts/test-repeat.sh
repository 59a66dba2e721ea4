#!/usr/bin/env bash
# Runs the integration-test binary N times in a row (default 20) and stops at the first failure or hang.
# Each request in the tests is bounded (20 s), and each whole run by RUN_LIMIT seconds (default 600), so a
# hang ends as a failure that names what was waiting. Usage: scripts/test-repeat.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20}"
RUN_LIMIT="${RUN_LIMIT:-600}"

# Build once; the JSON lines name the test executable.
# Only the `api` test target's line counts: the package's binary is built too, and its line may come last.
binary="$(cargo test -p server --test api --no-run --message-format=json 2>/dev/null \
  | grep '"kind":\["test"\]' | grep '"name":"api"' \
  | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)"
if [ -z "$binary" ]; then
  echo "test-repeat: could not build the integration tests (run cargo test -p server --no-run)" >&2
  exit 1
fi
log_dir="target/test-repeat"
mkdir -p "$log_dir"
# The binary expects to run from the package folder, as cargo test does.
for i in $(seq 1 "$N"); do
  started=$(date +%s)
  if (cd server && timeout --signal=KILL "$RUN_LIMIT" "$binary" >"../$log_dir/run-$i.log" 2>&1); then
    echo "test-repeat: run $i/$N passed in $(( $(date +%s) - started )) s"
  else
    status=$?
    if [ "$status" -eq 137 ]; then
      echo "test-repeat: run $i/$N HUNG (killed after ${RUN_LIMIT} s); log: $log_dir/run-$i.log" >&2
    else
      echo "test-repeat: run $i/$N FAILED (exit $status); log: $log_dir/run-$i.log" >&2
    fi
    grep -E "^test .* FAILED|panicked|has been running" "$log_dir/run-$i.log" | head -20 >&2 || true
    exit 1
  fi
done
echo "test-repeat: $N consecutive runs passed"
