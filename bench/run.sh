#!/usr/bin/env bash
# bench/run.sh NAME [--count N]: runs one benchmark and prints one JSON object on stdout.
#   endpoint-setup  N container endpoints through Berth's netlink path vs. the same state built
#                   with ip commands; teardown; nftables map element add and a 1,000-rule ruleset
#   network-api     berthd: network create/delete through the API (n=50), idle RSS, time to ready,
#                   `berth network ls` vs `docker network ls`; Docker's figures too when dockerd runs
#   containers      docker run -d to first ping answer (n=30), 40 started by 8 concurrent clients vs one
#                   after another (--parallel-only: just that), 200 containers on one network (first vs
#                   last 20), berthd RSS with 200 running, conmon RSS each; again with --default-runtime crun
#                   (BERTH_BENCH_CRUN=0: not) and against Docker 20.10 (BERTH_BENCH_DOCKER=0: not); berthd CPU per stats
#                   sample, 10 containers streamed 10 s (BERTH_BENCH_STATS_ONLY=1: just that); docker cp of a 200 MB tree
#                   in and out, MB/s (BERTH_BENCH_COPY_ONLY=1: just that)
#   networking      embedded DNS load (queries/s, p50/p99 latency at 127.0.0.11 from inside a container),
#                   network connect/disconnect of a running container (CLI and API, n=30), published ports:
#                   the 500th vs the 1st, TCP throughput and HTTP p99 through one vs the container's address
#   compose         berth compose up -d --wait (all running and healthy) and down for a 10-service, 3-network
#                   project (n=10); docker-compose against Docker's figures too when both are present
#   cluster         swarm on 4 lab nodes: init, worker and manager join (median of 5), node Down after kill -9
#                   of a worker, leader failover after kill -9 of the leader's berthd and etcd, RSS per manager;
#                   Docker 20.10's single-node swarm init in the same run (BERTH_BENCH_DOCKER=0: not);
#                   --init-only: just node1's init rounds, with berthd's time per phase
#   overlay         an attachable overlay on a 3-node lab swarm: docker run -d on node1 until a container on node3
#                   pings the new one by name (n=30), 1,000 endpoint records put into etcd until every node's
#                   vxlan0 has them all (and their removal), iperf3 across nodes over the overlay vs the underlay;
#                   the same-node run -> ping on Berth and on Docker 20.10's single-node swarm (BERTH_BENCH_DOCKER=0: not)
#   services        swarm services on a 3-node lab swarm and a LAN client: service create --replicas 10 until the CLI
#                   returns converged (median of N=5, VIP and dnsrr), scale 10 -> 50; short HTTP requests through a VIP
#                   and through the routing mesh beside the same straight to the tasks; TCP connect time through a VIP
#                   with 10 vs 1,000 services (990 made through the API); Docker 20.10's --endpoint-mode dnsrr create
#                   on a single-node swarm (BERTH_BENCH_DOCKER=0: not); the issue's targets, passed or not, in the JSON
#   stack           docker stack deploy of a 10-service stack (2 replicas each, dnsrr, one overlay) on a 5-node lab
#                   swarm (3 managers, 2 workers) until every service runs all its replicas, and stack rm until no
#                   task container and no network is left, median of N=5; the same with VIPs and one ingress port;
#                   Docker 20.10's single-node swarm with the dnsrr stack (BERTH_BENCH_DOCKER=0: not)
#   doctor          berth doctor (every check, probes included), doctor --network and berth topology --format json with 10
#                   and 100 running containers on three bridge networks, median of N=5 (no Docker counterpart)
#   build           docker build (classic builder) of a 10-step Dockerfile: cold, unchanged, one file changed, median of
#                   N=5, on berthd and on Docker 20.10 in the same run (BERTH_BENCH_DOCKER=0: not), with issue 19's targets
#   fuzz            the API fuzzer (tests/Berth.EndToEndTests/Reliability/Fuzzing) against berthd for --minutes N (default 1)
#                   with a random seed (BERTH_BENCH_FUZZ_SEED=S: that one): {requests, status5xx, slowest_ms, hangs,
#                   leftovers, rss_growth_mb, seed}; each failure on stderr with its request (docs/reliability.md)
#   reliability     issue 20's report: the fuzzer for --minutes N (default 1); the end-to-end tests' 50-client load for
#                   40 s on berthd and on Docker 20.10 (BERTH_BENCH_DOCKER=0: not) with /_ping p50/p99/max during it;
#                   the crash-anywhere and cluster chaos suites of the end-to-end tests (crash points tried,
#                   inconsistencies; scenarios and recovery times); ~15 minutes; --only fuzz|concurrency|crashes|chaos: one part
#   demo            the kernel layer end to end (not a benchmark; prints what it does)
# Runs as root, in network namespaces of its own; never touches the machine's real network.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/require-root.sh
scripts/install-deps.sh
if [ "${1:-}" = "network-api" ] || [ "${1:-}" = "containers" ] || [ "${1:-}" = "networking" ] || [ "${1:-}" = "compose" ] || [ "${1:-}" = "cluster" ] || [ "${1:-}" = "overlay" ] || [ "${1:-}" = "services" ] || [ "${1:-}" = "stack" ] || [ "${1:-}" = "doctor" ] || [ "${1:-}" = "build" ] || [ "${1:-}" = "fuzz" ] || [ "${1:-}" = "reliability" ]; then
  ./run.sh build >&2
fi
if [ "${1:-}" = "reliability" ]; then
  dotnet build tests/Berth.EndToEndTests -c Release -nologo -clp:ErrorsOnly --disable-build-servers >&2
fi
dotnet build bench/Berth.Bench -c Release -nologo -clp:ErrorsOnly --disable-build-servers -o out/bench >&2
exec out/bench/berth-bench "$@"
