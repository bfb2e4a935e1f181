#!/usr/bin/env bash
# Runs every Berth test: unit tests (no root needed) and integration tests in network
# namespaces the tests make themselves. Installs what is missing first. Run as root.
#   ./test.sh        what CI runs (under 45 minutes on a 2-core machine)
#   ./test.sh long   the same tests with their long rounds (BERTH_TEST_LONG=1: more containers, more
#                    allocations, longer soaks), run before an issue is resolved
set -euo pipefail
case "${1:-}" in
  "") ;;
  long) export BERTH_TEST_LONG=1 ;;
  *) echo "usage: ./test.sh [long]" >&2; exit 2 ;;
esac
cd "$(dirname "$0")"
source scripts/require-root.sh
scripts/install-deps.sh

dotnet build Berth.slnx -c Release -warnaserror -nologo -clp:ErrorsOnly

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
# The end-to-end tests run the native binaries users run (berthd and berth as ./run.sh builds them into out/; a JIT
# berthd takes ~1 s to start, and they start hundreds), published into this run's directory (a berthd of out/ may be
# running) while the unit and integration tiers run.
BERTH_NATIVE_OUT="$results/native" scripts/publish-native.sh > "$results/publish.log" 2>&1 &
publish=$!
# Unit tests first (no root needed), then the root tiers: kernel layer, network layer, container runtime, berthd end to end.
for project in tests/Berth.Core.Tests tests/Berth.Linux.Tests tests/Berth.Network.Tests tests/Berth.Store.Tests tests/Berth.Runtime.Tests tests/Berth.Compose.Tests tests/Berth.Api.Tests tests/Berth.Cli.Tests tests/Berth.Cluster.Tests tests/Berth.Diagnostics.Tests tests/Berth.Build.Tests \
               tests/Berth.Linux.IntegrationTests tests/Berth.Network.IntegrationTests tests/Berth.Runtime.IntegrationTests; do
  echo "== $project"
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$(basename "$project").trx" --results-directory "$results" || status=1
done

# The end-to-end tests run as two processes side by side: their tests wait on processes, daemons and the network
# more than they compute (run as one, they left ~40 % of the two cores idle). Each test has its own labs and roots,
# and each process's leak guard checks only its own. The first shard is the swarm tests, two cluster reliability
# classes and the doctor's; the second is everything else (with compose and the crash-anywhere test, about as long).
first_shard=(Cluster. Doctor. Reliability.ClusterChaosTests Reliability.ServiceCrashTests)
in_first=$(printf 'FullyQualifiedName~Berth.EndToEndTests.%s|' "${first_shard[@]}"); in_first=${in_first%|}
not_in_first=$(printf 'FullyQualifiedName!~Berth.EndToEndTests.%s&' "${first_shard[@]}"); not_in_first=${not_in_first%&}
if ! wait "$publish"; then
  cat "$results/publish.log"
  echo "publishing the native binaries failed: the end-to-end tests cannot run" >&2
  exit 1
fi
export BERTH_TEST_BIN_DIR="$results/native"
echo "== tests/Berth.EndToEndTests (native berthd and berth; two shards side by side; each one's output follows when both are done)"
shard_status=()
for shard in 1 2; do
  filter=$([ "$shard" = 1 ] && echo "$in_first" || echo "$not_in_first")
  dotnet test tests/Berth.EndToEndTests -c Release --no-build --nologo --filter "$filter" \
    --logger "trx;LogFileName=Berth.EndToEndTests.$shard.trx" --results-directory "$results" > "$results/e2e-$shard.log" 2>&1 &
  shard_status+=($!)
done
for shard in 1 2; do
  wait "${shard_status[$((shard - 1))]}" || status=1
  echo "-- end-to-end shard $shard"
  cat "$results/e2e-$shard.log"
done

# One closing line over all projects, in the plain "N passed, N failed" form.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
scripts/slowest-tests.sh "$results" 25 || true
scripts/failed-tests.sh "$results" || true
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || status=1
exit $status
