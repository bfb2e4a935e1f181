#!/usr/bin/env bash
# The guide (docs: lab.md), live: an isolated LAN of network namespaces with a router, a laptop and a
# Berth host running berthd, then the guide's single-host examples run against it with the real docker
# CLI, each step printing its commands, their output and PASS/FAIL.
#   scripts/lab.sh [up]   build the lab (taking down an earlier one first), run the steps, leave it up
#   scripts/lab.sh down   remove containers and networks, stop berthd, delete everything the lab made
# Called by ./run.sh lab. Environment:
#   BERTH_BIN_DIR  directory holding berthd and berth (default out/, built by ./run.sh build if missing;
#                  a relative path is taken from the repository's root)
#   BERTH_LAB_DIR  berthd's --root, --exec-root, socket and log (default /run/berth-lab)
# Never touches the machine's own interfaces: every link is made inside a berth-lab-* namespace.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/require-root.sh

readonly NS_LAN=berth-lab-lan NS_ROUTER=berth-lab-router NS_LAPTOP=berth-lab-laptop NS_HOST=berth-lab-host
readonly NAMESPACES=("$NS_HOST" "$NS_LAPTOP" "$NS_ROUTER" "$NS_LAN")
readonly STATE=${BERTH_LAB_DIR:-/run/berth-lab}
# down removes this directory whole: refuse anything but an absolute path below /.
[[ $STATE =~ ^/[^/]+(/[^/]+)*$ && $STATE != *..* ]] || { echo "lab: BERTH_LAB_DIR must be an absolute directory, not \"$STATE\"" >&2; exit 2; }
readonly SOCK=$STATE/berth.sock LOG=$STATE/berthd.log PIDFILE=$STATE/berthd.pid
readonly IMAGE=lab/busybox
# How long a check that must succeed keeps trying (links coming up, ARP, a server starting).
readonly SETTLE_SECONDS=10
# Upper bound of any single command the lab runs.
readonly COMMAND_TIMEOUT=60

BIN=${BERTH_BIN_DIR:-out}
BERTHD=$BIN/berthd
BERTH=$BIN/berth
DOCKER=/usr/local/bin/docker
if [ -x "$DOCKER" ]; then CLI_NAME=docker; else CLI_NAME=berth; fi

die() { echo "lab: $*" >&2; exit 1; }

netns_exists() { [ -e "/run/netns/$1" ]; }

# ---- the CLI against the lab's berthd ------------------------------------------------------------

# cli ARGS...: docker (or berth when docker is not installed) against the lab's socket.
cli() {
  if [ "$CLI_NAME" = docker ]; then
    DOCKER_HOST="unix://$SOCK" timeout "$COMMAND_TIMEOUT" "$DOCKER" "$@"
  else
    BERTH_HOST="unix://$SOCK" timeout "$COMMAND_TIMEOUT" "$BERTH" "$@"
  fi
}

berthd_pid() {
  local pid
  for file in "$STATE/exec/berthd.pid" "$PIDFILE"; do
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    # Only a berthd of this lab (its command line names the lab's directory), never a reused pid.
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--root $STATE/root "; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# Whether the lab's berthd answers (berth's own CLI when built, else docker).
answers() {
  [ -S "$SOCK" ] || return 1
  if [ -x "$BERTH" ]; then
    BERTH_HOST="unix://$SOCK" timeout 5 "$BERTH" version >/dev/null 2>&1
  else
    DOCKER_HOST="unix://$SOCK" timeout 5 "$DOCKER" version >/dev/null 2>&1
  fi
}

# The directory of a berthd running in the lab's host namespace with another BERTH_LAB_DIR, if any.
other_lab_dir() {
  netns_exists "$NS_HOST" || return 1
  local pid i args
  for pid in $(ip netns pids "$NS_HOST" 2>/dev/null); do
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = berthd ] || continue
    mapfile -t -d '' args <"/proc/$pid/cmdline"
    for i in "${!args[@]}"; do
      if [ "${args[$i]}" = --root ] && [ "${args[$((i + 1))]:-}" != "$STATE/root" ]; then
        echo "${args[$((i + 1))]%/root}"
        return 0
      fi
    done
  done
  return 1
}

# ---- down ----------------------------------------------------------------------------------------

down() {
  local pid dir
  # The namespaces are the lab's whatever its directory: never delete them under another lab's berthd.
  if dir=$(other_lab_dir); then
    die "the lab that is up keeps its state in $dir; take it down with: BERTH_LAB_DIR=$dir ./run.sh lab down"
  fi
  if pid=$(berthd_pid) && answers; then
    local ids
    ids=$(cli ps -aq 2>/dev/null)
    if [ -n "$ids" ]; then
      # shellcheck disable=SC2086 # one id per word
      cli rm -f $ids >/dev/null && echo "containers removed: $(wc -w <<<"$ids")" || echo "lab down: some containers could not be removed" >&2
    fi
    cli network prune -f >/dev/null 2>&1 && echo "networks removed" || echo "lab down: some networks could not be removed" >&2
  fi
  if pid=$(berthd_pid); then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 200); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "lab down: berthd (pid $pid) did not stop within 20 s of SIGTERM; killing it" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
    echo "berthd (pid $pid) stopped"
  fi

  # Containers berthd could not remove (it had crashed): runc deletes them, their monitors then exit.
  local runc_root=$STATE/exec/runtime/runc
  if [ -d "$runc_root" ]; then
    for id in $(runc --root "$runc_root" list -q 2>/dev/null); do
      runc --root "$runc_root" delete -f "$id" >/dev/null 2>&1 && echo "container ${id:0:12} deleted with runc"
    done
  fi

  for ns in "${NAMESPACES[@]}"; do
    if netns_exists "$ns"; then
      ip netns del "$ns" && echo "namespace $ns deleted"
    fi
  done

  if [ -d "$STATE" ]; then
    # Container namespaces and root filesystems are mounts under the state directory: deepest first.
    awk -v dir="$STATE/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo | sort -ru | while read -r point; do
      umount -l "$point" || echo "lab down: cannot unmount $point" >&2
    done
    rm -rf "$STATE" && echo "$STATE removed"
  fi
  echo "lab down: nothing of the lab is left"
}

# ---- up: the namespaces --------------------------------------------------------------------------

# plug NS IFNAME CIDR: a veth from the LAN bridge into NS, created straight into both namespaces.
plug() {
  local ns=$1 ifname=$2 cidr=$3 port="p-${1#berth-lab-}"
  ip -n "$NS_LAN" link add "$port" type veth peer name "$ifname" netns "$ns" &&
    ip -n "$NS_LAN" link set "$port" master br0 up &&
    ip -n "$ns" addr add "$cidr" dev "$ifname" &&
    ip -n "$ns" link set "$ifname" up
}

make_namespaces() {
  for ns in "${NAMESPACES[@]}"; do
    ip netns add "$ns" && ip -n "$ns" link set lo up || die "cannot create namespace $ns"
  done
  ip -n "$NS_LAN" link add br0 type bridge && ip -n "$NS_LAN" link set br0 up || die "cannot create the LAN bridge"
  plug "$NS_ROUTER" eth0 192.168.1.1/24 || die "cannot plug the router into the LAN"
  plug "$NS_LAPTOP" eth0 192.168.1.20/24 || die "cannot plug the laptop into the LAN"
  plug "$NS_HOST" eth0 192.168.1.10/24 || die "cannot plug the Berth host into the LAN"
  ip -n "$NS_LAPTOP" route add default via 192.168.1.1 || die "cannot route the laptop"
  ip -n "$NS_HOST" route add default via 192.168.1.1 || die "cannot route the Berth host"
  cat <<TXT
Berth lab: a LAN of network namespaces (nothing of this machine's own network changes)
  $NS_LAN     the LAN 192.168.1.0/24: bridge br0 in a namespace of its own
  $NS_ROUTER  192.168.1.1, the LAN's gateway
  $NS_LAPTOP  192.168.1.20, a device on the LAN
  $NS_HOST    eth0 192.168.1.10/24, default via 192.168.1.1: the Berth host, where berthd runs
TXT
}

start_berthd() {
  mkdir -p "$STATE/root" "$STATE/exec" || die "cannot create $STATE"
  # nsenter switches only the network namespace (`ip netns exec` would remount /sys without the cgroup
  # mount runc needs); setsid and the redirections detach berthd from this script's terminal and pipes.
  # Upstream DNS is the LAN's router, so no query ever leaves the lab.
  setsid nsenter "--net=/run/netns/$NS_HOST" "$BERTHD" -H "unix://$SOCK" --root "$STATE/root" --exec-root "$STATE/exec" \
    --dns 192.168.1.1 </dev/null >>"$LOG" 2>&1 &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 200); do
    if answers; then
      echo "berthd: pid $(cat "$PIDFILE") in $NS_HOST, serving unix://$SOCK (state in $STATE, log $LOG)"
      return 0
    fi
    kill -0 "$(cat "$PIDFILE")" 2>/dev/null || { tail -n 20 "$LOG" >&2; die "berthd exited; the end of its log is above"; }
    sleep 0.1
  done
  die "berthd did not answer on unix://$SOCK within 20 s; see $LOG"
}

# The test image: Debian's busybox-static with every applet linked, and /www/index.html a link to
# /etc/hostname, so a web page served by `httpd -h /www` names the container that served it.
build_image() {
  local dir=$STATE/image rootfs=$STATE/image/rootfs
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/www" || return 1
  cp /bin/busybox "$rootfs/bin/busybox" || return 1
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$rootfs/bin/$applet"
  done
  ln -sf /etc/hostname "$rootfs/www/index.html"
  tar -C "$rootfs" -cf "$dir/busybox.tar" . || return 1
  rm -rf "$rootfs"
}

# ---- up: the step machinery ----------------------------------------------------------------------

STEPS=()        # "VERDICT|name" per finished step
STEP_NAME=""
STEP_FAILED=0   # a check failed
OUT=""          # the output of the last check's command

# show ARGS...: the command line as a user would type it (docker for the CLI, quotes only where needed).
show() {
  local words=() arg
  for arg in "$@"; do
    if [[ $arg =~ ^[A-Za-z0-9_./:=,@%+-]+$ ]]; then words+=("$arg"); else words+=("'${arg//\'/\'\\\'\'}'"); fi
  done
  [ "${words[0]}" = docker ] && words[0]=$CLI_NAME
  [ "${words[0]}" = bash ] && [ "${words[1]}" = -c ] && words=("${@:3}")
  echo "  \$ ${words[*]}"
}

# run ARGS...: runs the command (docker → the lab's CLI); output in OUT, returns its exit code.
run() {
  if [ "$1" = docker ]; then
    shift
    OUT=$(cli "$@" 2>&1)
  elif [ "$1" = berth ]; then
    shift
    OUT=$(BERTH_HOST="unix://$SOCK" timeout "$COMMAND_TIMEOUT" "$BERTH" "$@" 2>&1)
  else
    OUT=$(timeout "$COMMAND_TIMEOUT" "$@" 2>&1)
  fi
}

step() {
  end_step
  STEP_NAME=$1
  STEP_FAILED=0
  echo
  echo "== $STEP_NAME"
  shift
  local line
  for line in "$@"; do echo "   $line"; done
}

end_step() {
  [ -n "$STEP_NAME" ] || return 0
  local verdict=PASS
  [ "$STEP_FAILED" -eq 1 ] && verdict=FAIL
  STEPS+=("$verdict|$STEP_NAME")
  echo "-- $STEP_NAME: $verdict"
  STEP_NAME=""
}

# check [-f] [-w SECONDS] [-c TEXT]... DESCRIPTION -- COMMAND...
#   -f  the command must fail (an expected failure passes)
#   -w  keep trying up to SECONDS until the expectation holds
#   -c  the output must contain TEXT (repeatable)
check() {
  local expect_fail=0 within=0 contains=() description
  while [ $# -gt 0 ]; do
    case $1 in
      -f) expect_fail=1; shift ;;
      -w) within=$2; shift 2 ;;
      -c) contains+=("$2"); shift 2 ;;
      --) shift; break ;;
      *) description=$1; shift ;;
    esac
  done
  local deadline=$((SECONDS + within)) ok rc text
  show "$@"
  while :; do
    run "$@"
    rc=$?
    ok=1
    if [ "$expect_fail" -eq 1 ]; then [ "$rc" -ne 0 ] || ok=0; else [ "$rc" -eq 0 ] || ok=0; fi
    for text in "${contains[@]}"; do
      [[ $OUT == *"$text"* ]] || ok=0
    done
    [ "$ok" -eq 1 ] || [ "$SECONDS" -ge "$deadline" ] || { sleep 0.25; continue; }
    break
  done
  [ -z "$OUT" ] || sed 's/^/      /' <<<"$OUT"
  local why=""
  [ "$expect_fail" -eq 1 ] && why=" (expected to fail, exit $rc)"
  [ "$expect_fail" -eq 0 ] && [ "$rc" -ne 0 ] && why=" (exit $rc)"
  [ "$ok" -eq 1 ] || [ "${#contains[@]}" -eq 0 ] || why="$why (output must contain: ${contains[*]})"
  if [ "$ok" -eq 1 ]; then
    echo "  PASS  $description$why"
  else
    STEP_FAILED=1
    echo "  FAIL  $description$why"
  fi
  [ "$ok" -eq 1 ]
}

# value ARGS...: runs a command shown like a check, output trimmed into OUT (for addresses and ids).
value() {
  show "$@"
  run "$@"
  local rc=$?
  OUT=$(echo "$OUT" | tr -d '[:space:]')
  echo "      $OUT"
  return $rc
}

# addr VARIABLE CONTAINER NETWORK: the container's IPv4 address on NETWORK into VARIABLE (the command shown).
addr() {
  value docker inspect -f "{{(index .NetworkSettings.Networks \"$3\").IPAddress}}" "$2"
  printf -v "$1" '%s' "$OUT"
}

in_host() { echo ip netns exec "$NS_HOST"; }
in_laptop() { echo ip netns exec "$NS_LAPTOP"; }

# ---- up: the guide's examples --------------------------------------------------------------------

guide_steps() {
  local page printer_id fe_id api_backnet db_backnet fe_frontnet fe_backnet iso2_addr

  step "0 test image" \
    "An image for every container below: Debian's busybox-static (sh, httpd, wget, ping, nslookup, ip)." \
    "Each container serves /www, whose index.html is its own /etc/hostname: a page names who served it."
  build_image || { STEP_FAILED=1; echo "  FAIL  cannot build the image's root filesystem in $STATE/image"; }
  check "the image is imported" -- docker import -c 'CMD ["sh"]' "$STATE/image/busybox.tar" "$IMAGE"

  step "1 macvlan network" \
    "The guide's macvlan network: containers get addresses of the LAN itself, on the host's eth0."
  check "my-macvlan is created" -- docker network create -d macvlan --subnet=192.168.1.0/24 --gateway=192.168.1.1 -o parent=eth0 my-macvlan

  step "2 printer on the LAN" \
    "The guide's printer at 192.168.1.50 (busybox httpd instead of nginx): a device of the LAN like any" \
    "other, reached from the laptop without any port mapping."
  check "the printer runs" -- docker run -d --name printer --network my-macvlan --ip 192.168.1.50 "$IMAGE" httpd -f -p 80 -h /www
  printer_id=${OUT:0:12}
  check -w "$SETTLE_SECONDS" "the laptop pings the printer" -- $(in_laptop) ping -c1 -W1 192.168.1.50
  check -w "$SETTLE_SECONDS" -c "$printer_id" "the laptop gets the printer's page over TCP" -- $(in_laptop) timeout 3 busybox wget -q -O- http://192.168.1.50/

  step "3 the host cannot reach its macvlan container" \
    "The kernel passes no frames between a parent (the host's eth0) and its macvlan interfaces: the host" \
    "itself cannot reach the printer, though the whole LAN can. This failure is the expected outcome."
  check -f "the host does not reach 192.168.1.50 (expected)" -- $(in_host) ping -c2 -W1 192.168.1.50
  check -w "$SETTLE_SECONDS" "the laptop still does" -- $(in_laptop) ping -c1 -W1 192.168.1.50

  step "4 method A, Berth's way: the host shim" \
    "The guide's method A gives the host a macvlan of its own (192.168.1.240) on eth0. Berth does it for a" \
    "network created with -o berth.macvlan.host_address=IP, and removes it with the network. A network's" \
    "options never change after creation, so my-macvlan is made again with the option; --ip-range" \
    "192.168.1.48/28 keeps 192.168.1.240 out of the addresses containers are given, as the option requires."
  check "the printer goes" -- docker rm -f printer
  check "the old my-macvlan goes" -- docker network rm my-macvlan
  check "my-macvlan is made again, with the shim" -- docker network create -d macvlan --subnet=192.168.1.0/24 --gateway=192.168.1.1 \
    --ip-range=192.168.1.48/28 -o parent=eth0 -o berth.macvlan.host_address=192.168.1.240 my-macvlan
  check "the printer runs again" -- docker run -d --name printer --network my-macvlan --ip 192.168.1.50 "$IMAGE" httpd -f -p 80 -h /www
  printer_id=${OUT:0:12}
  check -c "192.168.1.240/32" "the host has the shim (bsh-…) with 192.168.1.240" -- ip -n "$NS_HOST" -4 -o addr show
  check -c "192.168.1.48/28 dev bsh-" "the printer's range is routed through it" -- ip -n "$NS_HOST" route
  check -w "$SETTLE_SECONDS" "the host pings the printer" -- $(in_host) ping -c1 -W1 192.168.1.50
  check -w "$SETTLE_SECONDS" -c "$printer_id" "the host gets the printer's page" -- $(in_host) timeout 3 busybox wget -q -O- http://192.168.1.50/
  check -w "$SETTLE_SECONDS" "the printer pings the host's shim" -- docker exec printer ping -c1 -W1 192.168.1.240
  check -w "$SETTLE_SECONDS" -c "$printer_id" "the laptop still gets the printer's page" -- $(in_laptop) timeout 3 busybox wget -q -O- http://192.168.1.50/

  step "5 frontnet and backnet" \
    "The guide's compose example with docker commands: fe on frontnet and backnet (publishing 8080:80)," \
    "api and db on backnet only. outsider, on frontnet only, stands for anything exposed to the front."
  check "frontnet is created" -- docker network create frontnet
  check "backnet is created" -- docker network create backnet
  check "api runs on backnet" -- docker run -d --name api --network backnet "$IMAGE" httpd -f -p 80 -h /www
  local api_id=${OUT:0:12}
  check "db runs on backnet (a server on 5432)" -- docker run -d --name db --network backnet "$IMAGE" httpd -f -p 5432 -h /www
  local db_id=${OUT:0:12}
  check "fe runs on frontnet, publishing 8080:80" -- docker run -d --name fe --network frontnet -p 8080:80 "$IMAGE" httpd -f -p 80 -h /www
  fe_id=${OUT:0:12}
  check "fe joins backnet too" -- docker network connect backnet fe
  check "outsider runs on frontnet only" -- docker run -d --name outsider --network frontnet "$IMAGE" sleep infinity
  addr api_backnet api backnet
  addr db_backnet db backnet
  check -w "$SETTLE_SECONDS" -c "$api_id" "fe reaches api by name" -- docker exec fe timeout 3 wget -q -O- http://api/
  check -w "$SETTLE_SECONDS" -c "$db_id" "fe reaches db:5432 by name" -- docker exec fe timeout 3 wget -q -O- http://db:5432/
  check -f "outsider cannot resolve api (no shared network)" -- docker exec outsider nslookup api
  check -f "outsider cannot reach api at its address ($api_backnet)" -- docker exec outsider timeout 3 wget -q -O- "http://$api_backnet/"
  check -f "outsider cannot reach db at its address ($db_backnet)" -- docker exec outsider timeout 3 wget -q -O- "http://$db_backnet:5432/"

  step "6 published port" \
    "fe's -p 8080:80: the Berth host's own 8080 (from its loopback, and from the LAN at 192.168.1.10:8080)" \
    "leads to fe's port 80; the host's port 80 itself leads nowhere."
  check -c "80/tcp -> 0.0.0.0:8080" "docker port fe shows the mapping" -- docker port fe
  check -w "$SETTLE_SECONDS" -c "$fe_id" "the host's 127.0.0.1:8080 serves fe's page" -- $(in_host) timeout 3 busybox wget -q -O- http://127.0.0.1:8080/
  check -w "$SETTLE_SECONDS" -c "$fe_id" "the laptop gets fe's page at 192.168.1.10:8080" -- $(in_laptop) timeout 3 busybox wget -q -O- http://192.168.1.10:8080/
  check -f "the laptop gets nothing at 192.168.1.10:80 (not published)" -- $(in_laptop) timeout 3 busybox wget -q -O- http://192.168.1.10:80/

  step "7 enable_icc=false" \
    "The guide's isolated network (com.docker.network.bridge.enable_icc=false, 172.30.0.0/16): containers" \
    "on it cannot talk to each other, yet each still reaches its gateway (and so the world)."
  check "isolated is created" -- docker network create -o com.docker.network.bridge.enable_icc=false --subnet=172.30.0.0/16 --gateway=172.30.0.1 isolated
  check "iso1 runs" -- docker run -d --name iso1 --network isolated "$IMAGE" httpd -f -p 80 -h /www
  check "iso2 runs" -- docker run -d --name iso2 --network isolated "$IMAGE" httpd -f -p 80 -h /www
  local iso1_addr
  addr iso1_addr iso1 isolated
  addr iso2_addr iso2 isolated
  check -w "$SETTLE_SECONDS" "iso1 pings the gateway" -- docker exec iso1 ping -c1 -W1 172.30.0.1
  check -w "$SETTLE_SECONDS" "iso2 pings the gateway" -- docker exec iso2 ping -c1 -W1 172.30.0.1
  check -f "iso1 cannot ping iso2 ($iso2_addr)" -- docker exec iso1 ping -c2 -W1 "$iso2_addr"
  check -f "iso2 cannot fetch iso1's page ($iso1_addr)" -- docker exec iso2 timeout 3 wget -q -O- "http://$iso1_addr/"

  step "8 diagnostics" \
    "The guide's diagnostic commands, on the containers above."
  check -c my-macvlan -c frontnet -c backnet -c isolated "docker network ls lists the lab's networks" -- docker network ls
  check -c '"Name": "fe"' -c '"Name": "outsider"' "docker network inspect frontnet shows its containers" -- docker network inspect frontnet
  addr fe_frontnet fe frontnet
  addr fe_backnet fe backnet
  check -c "inet $fe_frontnet/" -c "inet $fe_backnet/" "fe has an interface on each network" -- docker exec fe ip addr
  check -c "nameserver 127.0.0.11" "fe asks Berth's embedded DNS" -- docker exec fe cat /etc/resolv.conf
  check -c "$api_backnet" "nslookup api answers api's address" -- docker exec fe nslookup api

  step "9 network connect and disconnect" \
    "Live: api joins frontnet while running, and outsider reaches it by name; after disconnect, no more."
  check "api joins frontnet" -- docker network connect frontnet api
  check -w "$SETTLE_SECONDS" -c "$api_id" "outsider reaches api by name" -- docker exec outsider timeout 3 wget -q -O- http://api/
  check "api leaves frontnet" -- docker network disconnect frontnet api
  check -f "outsider cannot reach api any more" -- docker exec outsider timeout 3 wget -q -O- http://api/

  step "10 berth doctor and berth topology" \
    "Berth diagnoses the guide's troubleshooting table by itself: each check, what it found, the fix as a" \
    "command. This lab's router runs no DNS server, so names outside Berth cannot resolve: doctor finds that" \
    "real problem of the lab. Then the guide's MTU row, made by hand: api's interface shrunk to 1400 bytes;" \
    "doctor finds it with a full-size DF ping from inside a container, and the fix it prints works. Last, the" \
    "lab drawn by berth topology (as text here; as a page at $STATE/topology.html)."
  check -f -c "the host reaches my-macvlan through bsh-" -c "nothing listens on 192.168.1.1:53" -c "1500-byte pings with DF" \
    "berth doctor checks it all; the router's missing DNS is a problem" -- berth doctor
  local api_pid
  value docker inspect -f '{{.State.Pid}}' api
  api_pid=$OUT
  check "api's eth0 (backnet) shrinks to 1400 bytes, by hand" -- nsenter "--net=/proc/$api_pid/ns/net" ip link set eth0 mtu 1400
  check -f -c "eth0 on backnet has MTU 1400, the network 1500" -c "berth network disconnect backnet api && berth network connect backnet api" \
    "berth doctor finds it, and says how to fix it" -- berth doctor --network backnet
  check "the fix, 1: api leaves backnet" -- berth network disconnect backnet api
  check "the fix, 2: api joins backnet again" -- berth network connect backnet api
  check -c "1500-byte pings with DF from api reached" "berth doctor: backnet is healthy again" -- berth doctor --network backnet
  check -c "macvlan my-macvlan 192.168.1.0/24" -c "printer 192.168.1.50" -c "host shim bsh-" -c "frontnet" -c "8080" \
    "berth topology draws the lab" -- berth topology
  check "the same as a page" -- bash -c "BERTH_HOST=unix://$SOCK $BERTH topology --format html > $STATE/topology.html && test -s $STATE/topology.html"
  end_step
}

summary() {
  local passed=0 failed=0 entry
  echo
  echo "== summary"
  for entry in "${STEPS[@]}"; do
    printf '  %-8s %s\n' "${entry%%|*}" "${entry#*|}"
    case ${entry%%|*} in PASS) passed=$((passed + 1)) ;; FAIL) failed=$((failed + 1)) ;; esac
  done
  echo "lab: $passed passed, $failed failed"
  cat <<TXT

The lab stays up for you to play with:
  export DOCKER_HOST=unix://$SOCK      # then any docker command, e.g. docker ps, docker network ls
  ip netns exec $NS_LAPTOP ping 192.168.1.50         # the laptop, a device on the LAN
  ip netns exec $NS_HOST ip -br addr                 # the Berth host: eth0, the shim bsh-…, bridges
  ip netns exec $NS_HOST nft list ruleset            # Berth's firewall on that host
  ip netns exec $NS_HOST tcpdump -ni eth0 host 192.168.1.50   # the guide's tcpdump, if installed
  berthd's log: $LOG
  ./run.sh lab down                                  # removes all of it
TXT
  [ "$failed" -eq 0 ]
}

up() {
  scripts/install-deps.sh || die "cannot install what the lab needs"
  if [ -z "${BERTH_BIN_DIR:-}" ] && { [ ! -x "$BERTHD" ] || [ ! -x "$BERTH" ]; }; then
    echo "lab: out/berthd or out/berth is missing; building them first (./run.sh build)"
    ./run.sh build || die "the build failed"
  fi
  [ -x "$BERTHD" ] && [ -x "$BERTH" ] || die "no berthd and berth in $BIN; run ./run.sh build, or set BERTH_BIN_DIR to a directory holding both"
  if berthd_pid >/dev/null || [ -d "$STATE" ] || netns_exists "$NS_HOST" || netns_exists "$NS_LAN"; then
    echo "lab: an earlier lab is still there; taking it down first"
    down
  fi
  make_namespaces
  start_berthd
  echo "client: $CLI_NAME with DOCKER_HOST=unix://$SOCK (every \"$CLI_NAME\" below)"
  guide_steps
  summary
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) echo "usage: ./run.sh lab [up | down]" >&2; exit 2 ;;
esac
