#!/usr/bin/env bash
# Publishes berthd and the berth CLI as Native AOT binaries: out/berthd, out/berth (BERTH_NATIVE_OUT=DIR: into DIR).
# Native AOT links with clang and needs zlib's static library (zlib1g-dev): install-deps.sh installs both if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

out=${BERTH_NATIVE_OUT:-out}
for project in src/Berth.Daemon src/Berth.Cli; do
  dotnet publish "$project" -c Release -r linux-x64 -o "$out/" --nologo -clp:ErrorsOnly --disable-build-servers "$@"
done
ls -l "$out/berthd" "$out/berth"
