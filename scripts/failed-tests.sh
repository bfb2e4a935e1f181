#!/usr/bin/env bash
# Names the failed tests of a run, from the .trx files in a directory, so the end of a long log (all CI keeps of it)
# says what failed; each one's message is further up, in its project's output.
#   scripts/failed-tests.sh DIR
set -euo pipefail
dir=$1
names=$(cat "$dir"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*>' | grep 'outcome="Failed"' | sed 's/.* testName="\([^"]*\)".*/  \1/' || true)
if [ -n "$names" ]; then
  echo "failed tests:"
  echo "$names"
fi
