#!/usr/bin/env bash
# Installs the Debian packages Berth's build, tests and benchmarks need, if any is missing.
# Used by ./run.sh and ./test.sh (and so by .ci/run). Needs root; there is no sudo here.
set -euo pipefail

packages=(
  iproute2        # ip, bridge: the tests' independent view of links, addresses and routes
  nftables        # nft: the tests' view of rulesets; brings libnftables1, which Berth calls in-process
  libnftables1
  curl            # the e2e tests speak HTTP to berthd and published ports (TLS on TCP, raw API calls)
  iputils-ping    # ping inside lab namespaces
  iptables        # iptables-nft: FirewallCoexistenceTests makes another tool's FORWARD DROP beside Berth
  procps          # sysctl, ps
  kmod            # lsmod/modprobe probes for kernel features (best effort)
  runc            # the OCI runtime Berth.Runtime drives (the default)
  crun            # the alternative OCI runtime (--runtime crun / --default-runtime crun)
  conmon          # the container monitor (parent of container processes, exit files, k8s-file logs)
  busybox-static  # the runtime integration tests build their rootfs from it at test time
  docker-registry # the image tests pull from a registry they start on loopback
  apache2-utils   # htpasswd: the bcrypt password file of a lab registry that asks who pulls
  docker-compose  # Python docker-compose 1.29: the e2e tests drive berthd with it (docs/compose.md)
  docker.io       # Docker 20.10: the reference of bench/, and the e2e test of berthd beside a running dockerd
  etcd-server     # etcd 3.4: the cluster store; berthd runs a member on each swarm manager (docs/cluster.md); the store's tests start their own
  etcd-client     # etcdctl: to look into a test's or a lab's etcd by hand; bench/ overlay writes endpoint records with it
  faketime        # libfaketime: the cluster chaos tests run one berthd with its wall clock skewed (LD_PRELOAD)
  iperf3          # bench/ overlay: TCP throughput across lab nodes, over the overlay and over the underlay
  tini            # docker-init for `--init` (tini-static, bound into the container as /sbin/docker-init)
  clang           # Native AOT's linker: ./run.sh builds, and ./test.sh publishes for the e2e tests, native berthd and berth
  zlib1g-dev      # zlib's static library, which Native AOT links
  chromium        # headless: the e2e test of `berth topology` renders its HTML page and screenshots it (file:// only)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "install-deps: the .NET SDK (dotnet, 10.0) is not on PATH; install it first" >&2
  exit 1
fi
