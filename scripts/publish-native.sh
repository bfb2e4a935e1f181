#!/usr/bin/env bash
# Publishes berthd and the berth CLI as Native AOT binaries: out/berthd, out/berth (BERTH_NATIVE_OUT=DIR: into DIR).
# Native AOT links with clang and needs zlib's static library (zlib1g-dev); both are installed here if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v clang >/dev/null 2>&1 || missing+=(clang)
dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q "install ok installed" || missing+=(zlib1g-dev)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "publish-native: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

out=${BERTH_NATIVE_OUT:-out}
for project in src/Berth.Daemon src/Berth.Cli; do
  dotnet publish "$project" -c Release -r linux-x64 -o "$out/" --nologo -clp:ErrorsOnly --disable-build-servers "$@"
done
ls -l "$out/berthd" "$out/berth"
