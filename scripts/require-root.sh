#!/usr/bin/env bash
# Sourced by the top-level scripts: Berth creates namespaces, links and nftables tables, which needs root.
if [ "$(id -u)" -ne 0 ]; then
  echo "$(basename "$0"): run this as root (it creates network namespaces, links and nftables tables)." >&2
  echo "This kind of machine has no sudo: log in as root, or run it from a root shell." >&2
  exit 1
fi
