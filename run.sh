#!/usr/bin/env bash
# Berth's main job: build, then start berthd (the daemon serving the Docker Engine API) and wait
# until it answers. Run as root: there is no sudo on these machines.
#   ./run.sh          install what is missing, build (Release) into out/, start berthd in the background
#   ./run.sh stop     stop berthd (SIGTERM; networks and their kernel objects stay, as Docker's do)
#   ./run.sh build    only build: out/berthd and out/berth, runnable as they are
#   ./run.sh lab      the guide, live, in a lab of namespaces (scripts/lab.sh; docs/lab.md); ./run.sh lab down
#   ./run.sh cluster [N]  a swarm of N nodes (default 5: 3 managers, 2 workers) in a lab of namespaces
#                     (scripts/cluster.sh; docs/cluster.md); ./run.sh cluster down
# Extra arguments after start go to berthd, e.g. ./run.sh start --default-address-pool base=10.99.0.0/16,size=24
set -euo pipefail
cd "$(dirname "$0")"
source scripts/require-root.sh

SOCKET=/run/berth/berth.sock
PIDFILE=/run/berth/berthd.pid
LOG=/var/log/berth/berthd.log

build() {
  scripts/install-deps.sh
  rm -rf out
  scripts/publish-native.sh >/dev/null
  echo "built: out/berthd, out/berth (native)"
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start() {
  if running; then
    echo "berthd is already running (pid $(cat "$PIDFILE")) on unix://$SOCKET"
    return 0
  fi
  mkdir -p "$(dirname "$LOG")"
  nohup out/berthd "$@" >>"$LOG" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do
    if out/berth -H "unix://$SOCKET" version >/dev/null 2>&1; then
      cat <<TXT
berthd is running (pid $pid), serving the Docker Engine API on unix://$SOCKET
  log:   $LOG
  use:   export DOCKER_HOST=unix://$SOCKET    # then any docker command, docker-compose, Docker SDKs
         out/berth network ls                  # or Berth's own CLI (finds the socket by itself)
  stop:  ./run.sh stop
TXT
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "berthd exited; the end of its log:" >&2
      tail -n 20 "$LOG" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "berthd did not answer on unix://$SOCKET within 10 s; see $LOG" >&2
  return 1
}

stop() {
  if ! running; then
    echo "berthd is not running"
    return 0
  fi
  local pid
  pid=$(cat "$PIDFILE")
  kill -TERM "$pid"
  for _ in $(seq 1 200); do
    kill -0 "$pid" 2>/dev/null || { echo "berthd stopped"; return 0; }
    sleep 0.1
  done
  echo "berthd (pid $pid) did not stop within 20 s" >&2
  return 1
}

case "${1:-start}" in
  build) build ;;
  stop) stop ;;
  start) shift || true; build; start "$@" ;;
  lab) shift; exec scripts/lab.sh "$@" ;;
  cluster) shift; exec scripts/cluster.sh "$@" ;;
  *) echo "usage: ./run.sh [start [berthd flags] | stop | build | lab [down] | cluster [N | down]]" >&2; exit 2 ;;
esac
