#!/usr/bin/env bash
# A swarm of Berth nodes on this machine: network namespaces as hosts on a LAN of their own, a berthd in each
# (with its etcd member where it is a manager), `docker swarm init` on node1 and the joins (docs: cluster.md).
#   scripts/cluster.sh [up] [N]   N nodes (1 to 9, default 5): node1..3 managers, the rest workers; an earlier
#                                 cluster is taken down first; prints `docker node ls` and how to use each node
#   scripts/cluster.sh down       stops every berthd and etcd of the cluster, deletes its namespaces and directories
# Called by ./run.sh cluster. Environment:
#   BERTH_BIN_DIR         directory holding berthd and berth (default out/, built by ./run.sh build if missing;
#                         a relative path is taken from the repository's root)
#   BERTH_CLUSTER_DIR     one directory for everything the cluster keeps (default: roots in /var/lib/berth-cluster,
#                         exec roots, sockets, logs and pid files in /run/berth-cluster)
#   BERTH_CLUSTER_PREFIX  the namespaces' prefix (default berth-cluster: berth-cluster-lan, berth-cluster-node1…)
# Never touches the machine's own interfaces: every link is made inside one of the cluster's namespaces.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/require-root.sh

if [ -n "${BERTH_CLUSTER_DIR:-}" ]; then
  LIB=$BERTH_CLUSTER_DIR/lib
  RUN=$BERTH_CLUSTER_DIR/run
else
  LIB=/var/lib/berth-cluster
  RUN=/run/berth-cluster
fi
readonly LIB RUN
# down removes these directories whole: refuse anything but an absolute path below /.
for dir in "$LIB" "$RUN"; do
  [[ $dir =~ ^/[^/]+(/[^/]+)*$ && $dir != *..* ]] || { echo "cluster: BERTH_CLUSTER_DIR must be an absolute directory, not \"${BERTH_CLUSTER_DIR:-}\"" >&2; exit 2; }
done
readonly PREFIX=${BERTH_CLUSTER_PREFIX:-berth-cluster}
[[ $PREFIX =~ ^[a-z0-9][a-z0-9-]{0,20}$ ]] || { echo "cluster: BERTH_CLUSTER_PREFIX must be 1 to 21 of a-z, 0-9 and -, not \"$PREFIX\"" >&2; exit 2; }
readonly NS_LAN=$PREFIX-lan
readonly SUBNET=10.89.0
readonly MANAGERS=3
# How long a berthd may take to answer once started, and to stop after SIGTERM.
readonly START_SECONDS=30 STOP_SECONDS=20
# Upper bound of any single docker command.
readonly COMMAND_TIMEOUT=60

BIN=${BERTH_BIN_DIR:-out}
BERTHD=$BIN/berthd
BERTH=$BIN/berth
DOCKER=/usr/local/bin/docker

die() { echo "cluster: $*" >&2; exit 1; }

netns_exists() { [ -e "/run/netns/$1" ]; }
node_ns() { echo "$PREFIX-node$1"; }
address() { echo "$SUBNET.$((10 + $1))"; }
sock() { echo "$RUN/node$1.sock"; }

# docker_on K ARGS...: the docker CLI against node K.
docker_on() {
  local node=$1
  shift
  DOCKER_HOST="unix://$(sock "$node")" timeout "$COMMAND_TIMEOUT" "$DOCKER" "$@"
}

answers() { [ -S "$(sock "$1")" ] && DOCKER_HOST="unix://$(sock "$1")" timeout 5 "$DOCKER" version >/dev/null 2>&1; }

# The nodes that have something left: a namespace, a pid file or a root.
known_nodes() {
  local k
  for k in 1 2 3 4 5 6 7 8 9; do
    if netns_exists "$(node_ns "$k")" || [ -e "$RUN/node$k.pid" ] || [ -d "$LIB/node$k" ]; then echo "$k"; fi
  done
}

# berthd_pid K: node K's berthd, only if its command line names the node's root (never a reused pid).
berthd_pid() {
  local pid
  [ -f "$RUN/node$1.pid" ] || return 1
  pid=$(cat "$RUN/node$1.pid")
  [ -n "$pid" ] && { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -q -- "--root $LIB/node$1 " && echo "$pid"
}

# ---- down ----------------------------------------------------------------------------------------

down() {
  local k pid pids=() ns
  # berthd first, all at once: each stops its etcd member on the way out.
  for k in $(known_nodes); do
    if pid=$(berthd_pid "$k"); then
      kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 $((STOP_SECONDS * 10))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "cluster down: berthd (pid $pid) did not stop within $STOP_SECONDS s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  [ "${#pids[@]}" -eq 0 ] || echo "berthd stopped: ${#pids[@]}"

  # Whatever still runs in a node's namespace is the cluster's: an etcd member a killed berthd left, a container's
  # monitor. Also any etcd whose data is under the cluster's roots, wherever it runs.
  local left=()
  for k in $(known_nodes); do
    ns=$(node_ns "$k")
    netns_exists "$ns" && left+=($(ip netns pids "$ns" 2>/dev/null))
  done
  left+=($(pgrep -f "etcd --name .* --data-dir $LIB/" 2>/dev/null))
  mapfile -t left < <([ "${#left[@]}" -eq 0 ] || printf '%s\n' "${left[@]}" | sort -un)
  if [ "${#left[@]}" -gt 0 ]; then
    kill -TERM "${left[@]}" 2>/dev/null
    for _ in $(seq 1 50); do
      local alive=0
      for pid in "${left[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
      [ "$alive" -eq 1 ] || break
      sleep 0.1
    done
    kill -KILL "${left[@]}" 2>/dev/null
    echo "other processes of the cluster stopped: ${#left[@]}"
  fi

  # Containers' runc state, should a node have run any.
  for k in $(known_nodes); do
    local runc_root=$RUN/node$k/runtime/runc
    [ -d "$runc_root" ] || continue
    for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
      runc --root "$runc_root" delete -f "$id" >/dev/null 2>&1
    done
  done

  for k in $(known_nodes); do
    ns=$(node_ns "$k")
    if netns_exists "$ns"; then ip netns del "$ns" && echo "namespace $ns deleted"; fi
  done
  if netns_exists "$NS_LAN"; then ip netns del "$NS_LAN" && echo "namespace $NS_LAN deleted"; fi

  for dir in "$RUN" "$LIB"; do
    [ -d "$dir" ] || continue
    # Namespaces and root filesystems of containers are mounts under these directories: deepest first.
    awk -v dir="$dir/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo | sort -ru | while read -r point; do
      umount -l "$point" || echo "cluster down: cannot unmount $point" >&2
    done
    rm -rf "$dir" && echo "$dir removed"
  done
  [ -z "${BERTH_CLUSTER_DIR:-}" ] || rmdir "$BERTH_CLUSTER_DIR" 2>/dev/null
  echo "cluster down: nothing of the cluster is left"
}

# ---- up ------------------------------------------------------------------------------------------

make_namespaces() {
  local n=$1 k ns
  ip netns add "$NS_LAN" && ip -n "$NS_LAN" link set lo up || die "cannot create namespace $NS_LAN"
  ip -n "$NS_LAN" link add br0 type bridge && ip -n "$NS_LAN" link set br0 up || die "cannot create the LAN bridge"
  for k in $(seq 1 "$n"); do
    ns=$(node_ns "$k")
    ip netns add "$ns" && ip -n "$ns" link set lo up || die "cannot create namespace $ns"
    # A veth made straight into both namespaces: the node's eth0, the bridge's port p-nodeK.
    ip -n "$NS_LAN" link add "p-node$k" type veth peer name eth0 netns "$ns" &&
      ip -n "$NS_LAN" link set "p-node$k" master br0 up &&
      ip -n "$ns" addr add "$(address "$k")/24" dev eth0 &&
      ip -n "$ns" link set eth0 up || die "cannot plug node$k into the LAN"
  done
  echo "cluster: $NS_LAN holds the LAN $SUBNET.0/24 (bridge br0); $(node_ns 1)..$n are its hosts at $(address 1)..$(address "$n")"
}

start_berthd() {
  local k=$1
  mkdir -p "$LIB/node$k" "$RUN/node$k" || die "cannot create node$k's directories"
  # nsenter switches only the network namespace (`ip netns exec` would remount /sys without the cgroup mount
  # runc needs); unshare gives the node a hostname of its own (nodeK, as node ls shows it); setsid and the
  # redirections detach berthd from this script's terminal and pipes. Each execs the next: $! is berthd.
  # Its DNS upstream is a LAN address nothing answers on, so no query of a container ever leaves the lab.
  setsid nsenter "--net=/run/netns/$(node_ns "$k")" unshare --uts sh -c 'hostname "$0" && exec "$@"' "node$k" \
    "$BERTHD" -H "unix://$(sock "$k")" --root "$LIB/node$k" --exec-root "$RUN/node$k" --dns "$SUBNET.1" \
    </dev/null >>"$RUN/node$k.log" 2>&1 &
  echo $! >"$RUN/node$k.pid"
}

wait_berthd() {
  local k=$1
  for _ in $(seq 1 $((START_SECONDS * 10))); do
    answers "$k" && return 0
    kill -0 "$(cat "$RUN/node$k.pid")" 2>/dev/null || { tail -n 20 "$RUN/node$k.log" >&2; die "node$k's berthd exited; the end of its log is above"; }
    sleep 0.1
  done
  die "node$k's berthd did not answer on unix://$(sock "$k") within $START_SECONDS s; see $RUN/node$k.log"
}

# join K TOKEN: node K joins the swarm through node1, retried while etcd refuses a member change right after
# another (it wants every voting member connected for 5 s first; berthd waits up to 8 s, this covers more).
join() {
  local k=$1 token=$2 out
  for attempt in 1 2 3; do
    out=$(docker_on "$k" swarm join --advertise-addr "$(address "$k")" --token "$token" "$(address 1):2377" 2>&1) && { echo "node$k: $out"; return 0; }
    echo "node$k: join attempt $attempt failed: $out" >&2
    sleep 2
  done
  die "node$k could not join the swarm; see $RUN/node$k.log and $RUN/node1.log"
}

up() {
  local n=$1 k worker manager
  [[ $n =~ ^[1-9]$ ]] || die "N must be a number of nodes from 1 to 9, not \"$n\""
  scripts/install-deps.sh || die "cannot install what the cluster needs"
  if [ -z "${BERTH_BIN_DIR:-}" ] && { [ ! -x "$BERTHD" ] || [ ! -x "$BERTH" ]; }; then
    echo "cluster: out/berthd or out/berth is missing; building them first (./run.sh build)"
    ./run.sh build || die "the build failed"
  fi
  [ -x "$BERTHD" ] || die "no berthd in $BIN; run ./run.sh build, or set BERTH_BIN_DIR to a directory holding it"
  [ -x "$DOCKER" ] || die "the docker CLI ($DOCKER) is missing; scripts/install-deps.sh installs it"
  if netns_exists "$NS_LAN" || [ -n "$(known_nodes)" ] || [ -d "$RUN" ] || [ -d "$LIB" ]; then
    echo "cluster: an earlier cluster is still there; taking it down first"
    down
  fi
  make_namespaces "$n"
  # All berthds start at once; then each is waited for.
  for k in $(seq 1 "$n"); do start_berthd "$k"; done
  for k in $(seq 1 "$n"); do wait_berthd "$k"; done
  echo "cluster: $n berthd answering (logs $RUN/nodeK.log)"

  docker_on 1 swarm init --advertise-addr "$(address 1)" >/dev/null || die "swarm init on node1 failed; see $RUN/node1.log"
  echo "node1: swarm initialized, advertising $(address 1):2377"
  worker=$(docker_on 1 swarm join-token -q worker) || die "cannot read the worker token from node1"
  manager=$(docker_on 1 swarm join-token -q manager) || die "cannot read the manager token from node1"
  for k in $(seq 2 "$n"); do
    if [ "$k" -le "$MANAGERS" ]; then join "$k" "$manager"; else join "$k" "$worker"; fi
  done

  echo
  echo "\$ DOCKER_HOST=unix://$(sock 1) docker node ls"
  docker_on 1 node ls || die "node ls on node1 failed"
  cat <<TXT

The cluster stays up. Each node is a namespace with its own berthd (a manager's also runs an etcd member):
TXT
  for k in $(seq 1 "$n"); do
    local role=worker
    [ "$k" -le "$MANAGERS" ] && role=manager
    printf '  node%s  %-8s %-10s DOCKER_HOST=unix://%s docker …   (namespace %s, log %s)\n' \
      "$k" "$role" "$(address "$k")" "$(sock "$k")" "$(node_ns "$k")" "$RUN/node$k.log"
  done
  cat <<TXT
For example:
  DOCKER_HOST=unix://$(sock 1) docker node ls
  DOCKER_HOST=unix://$(sock 1) docker node inspect --pretty self
  ip netns exec $(node_ns 1) ss -ltnp                # the join service (2377) and etcd (2379, 2380) on node1
  ./run.sh cluster down                              # removes all of it
TXT
}

case "${1:-up}" in
  up) up "${2:-5}" ;;
  [0-9]*) up "$1" ;;
  down) down ;;
  *) echo "usage: ./run.sh cluster [up] [N] | down   (N nodes, 1 to 9, default 5)" >&2; exit 2 ;;
esac
