#!/bin/sh
# crun for a host with hybrid cgroups whose cgroup2 hierarchy holds a controller (here: hugetlb): crun 1.8 refuses
# such a host ("cgroups in hybrid mode not supported, drop all controllers from cgroupv2"), runc does not. This runs
# crun in a mount namespace of its own (slave: nothing propagates back to the host) without /sys/fs/cgroup/unified,
# where crun sees cgroup v1 only, as runc uses it. Register it with berthd: --add-runtime crun=/path/to/this.
# Costs an unshare and a sh per runtime call (~2 ms).
exec unshare --mount --propagation slave sh -c 'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "${BERTH_CRUN:-/usr/bin/crun}" "$@"' crun "$@"
