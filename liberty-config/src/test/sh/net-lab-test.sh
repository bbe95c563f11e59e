#!/usr/bin/env bash
# Tests the fault lab's network plumbing (cluster-net.sh) on the real kernel, without servers: a node's
# namespace torn down while a process is still in it (a killed JVM that has not finished exiting) must not
# stop the next start from making the namespace again. `ip netns del` only removes a namespace's name; the
# kernel frees the namespace and its veth pair once the last process in it is gone, in the background, so
# a start right after a teardown met the old pair and failed with "RTNETLINK answers: File exists" (seen in
# CI between JepsenIT's wipe and PartitionIT's start). Needs root and iproute2; says so and passes otherwise.
# Also: ./cluster wipe finds a cluster's namespaces from what the cluster recorded, not from the environment.
# Uses its own prefix (rsnt), 198.18.77.0/24 and a temporary state folder.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
if (( $(id -u) != 0 )) || ! command -v ip >/dev/null || ! ip netns list >/dev/null 2>&1; then
  echo "net-lab test: skipped (needs root and iproute2 with network namespaces)"
  exit 0
fi
for tool in nft:nftables jq:jq ping:iputils-ping; do
  command -v "${tool%%:*}" >/dev/null || { echo "net-lab test: ${tool%%:*} (Debian package ${tool#*:}) is missing" >&2; exit 1; }
done

STATE="$(mktemp -d)"
export RAFTSTORE_NETNS_PREFIX=rsnt RAFTSTORE_NETNS_OCTET=77
# What cluster-net.sh takes from ./cluster.
die() { echo "cluster: $*" >&2; exit 2; }
node_dir() { echo "$STATE/n$1"; }
dns_mode() { false; }
total() { echo 1; }
# shellcheck source=liberty-config/src/main/sh/cluster-net.sh
source "$ROOT/liberty-config/src/main/sh/cluster-net.sh"

passed=0
failed=0
holder=""
check() { local what=$1; shift; if "$@"; then echo "ok - $what"; passed=$((passed + 1)); else echo "not ok - $what"; failed=$((failed + 1)); fi; }
finish() {
  [[ -z $holder ]] || kill "$holder" 2>/dev/null
  net_down 1
  rm -rf "$STATE"
  echo "net-lab test: $passed passed, $failed failed"
  (( failed == 0 )) || exit 1
  exit 0
}
trap finish EXIT

reaches() { ping -c 1 -W 2 "$1" >/dev/null 2>&1; }
has_address() { # has_address NS ADDRESS: eth0 in namespace NS carries ADDRESS
  ip -j -n "$1" addr show dev eth0 2>/dev/null | jq -e --arg a "$2" 'any(.[].addr_info[]; .local == $a)' >/dev/null
}
no_lab_links() { ! ip -br link | awk '{print $1}' | grep -q "^$NET_PREFIX-"; }

net_node_up 1
check "a node's namespace answers on its address" reaches "$(net_host 1)"

# A process left in the namespace keeps it (and its veth pair) alive after its name is gone.
ip netns exec "$(net_ns 1)" sleep 60 &
holder=$!
for ((t = 0; t < 50; t++)); do [[ $(readlink "/proc/$holder/ns/net") != "$(readlink /proc/self/ns/net)" ]] && break; sleep 0.1; done
net_down 1
check "teardown with a process still in the namespace removes the lab's links" no_lab_links
# As in ./cluster (set -e): the first command that fails fails the start. Not inside `check`, where bash
# would ignore set -e.
(set -e; net_node_up 1)
check "a start right after that teardown makes the namespace again" test $? -eq 0
check "the new namespace has its address" has_address "$(net_ns 1)" "$(net_host 1)"
check "and answers on it" reaches "$(net_host 1)"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
holder=""
net_down 1
check "after the last teardown no lab link is left" no_lab_links

# ./cluster wipe on a --netns cluster's state removes its namespaces even when run with another prefix and subnet
# (a shell without the variables, a test class whose cluster uses the same state folder): the cluster recorded
# its own at start.
echo 1 >"$STATE/size"
net_record
net_node_up 1
RAFTSTORE_CLUSTER_DIR="$STATE" RAFTSTORE_NETNS_PREFIX=rsnx RAFTSTORE_NETNS_OCTET=78 "$ROOT/cluster" wipe >/dev/null
check "a wipe with other RAFTSTORE_NETNS_* removes the namespaces the cluster was started with" no_lab_links
mkdir -p "$STATE"
