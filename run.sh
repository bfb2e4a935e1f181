#!/usr/bin/env bash
# Berth's main job. Until berthd exists (next milestone), this builds Berth and runs the kernel
# layer's demonstration and its endpoint benchmark, in network namespaces of their own.
#   ./run.sh          install what is missing, build, run the demo and the benchmark
#   ./run.sh build    only build (Release) into out/
# Run as root: there is no sudo on these machines.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/require-root.sh
scripts/install-deps.sh

dotnet build Berth.slnx -c Release -nologo -clp:ErrorsOnly
dotnet build bench/Berth.Bench -c Release -nologo -clp:ErrorsOnly -o out/bench
[ "${1:-}" = "build" ] && exit 0

echo "== The kernel layer, end to end (own namespaces, no ip/nft processes)"
out/bench/berth-bench demo
echo
echo "== bench/run.sh endpoint-setup --count 200"
out/bench/berth-bench endpoint-setup --count 200
