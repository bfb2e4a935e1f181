#!/usr/bin/env bash
# Prints where a test run's time went, from the .trx files in a directory: the slowest test classes (their
# tests' durations summed) and the slowest tests. ./test.sh calls it, so CI's log says what to move behind `long`.
#   scripts/slowest-tests.sh DIR [COUNT]
set -euo pipefail
dir=$1 count=${2:-12}
cat "$dir"/*.trx 2>/dev/null | grep -o '<UnitTestResult [^>]*>' | awk -v count="$count" '
  {
    name = $0; sub(/.* testName="/, "", name); sub(/".*/, "", name); sub(/\(.*/, "", name)
    d = $0; sub(/.* duration="/, "", d); sub(/".*/, "", d); split(d, t, ":")
    seconds = t[1] * 3600 + t[2] * 60 + t[3]
    cls = name; sub(/\.[^.]*$/, "", cls)
    byClass[cls] += seconds; byTest[name] += seconds
  }
  END {
    print "slowest test classes (seconds, tests summed):"
    n = 0; for (c in byClass) rows[n++] = sprintf("%9.1f  %s", byClass[c], c)
    top(rows, n)
    print "slowest tests (seconds):"
    n = 0; delete rows; for (c in byTest) rows[n++] = sprintf("%9.1f  %s", byTest[c], c)
    top(rows, n)
  }
  function top(rows, n,   i, j, best, k) {
    for (k = 0; k < count && k < n; k++) {
      best = -1
      for (i = 0; i < n; i++) if (rows[i] != "" && (best < 0 || rows[i] + 0 > rows[best] + 0)) best = i
      print rows[best]; rows[best] = ""
    }
  }'
