#!/usr/bin/env bash
# Tests the fault lab's frozen disk (cluster-disk.sh, `./cluster start --own-disks`, `disk freeze|thaw I`) on the
# real kernel, without servers: a node's data on an ext4 image of its own, frozen and thawed. A freeze starts a
# dead man's thaw (a node waiting on a frozen disk cannot even be killed); a thaw must stop it, or it would cut
# a later freeze of the same disk short. Needs root, loop devices, e2fsprogs and util-linux; says so and passes
# otherwise. Uses a temporary state folder, and unmounts and removes it whatever happens.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
if (( $(id -u) != 0 )) || ! command -v mkfs.ext4 >/dev/null || ! command -v fsfreeze >/dev/null \
    || ! command -v losetup >/dev/null || ! losetup -f >/dev/null 2>&1; then
  echo "disk-lab test: skipped (needs root, loop devices, mkfs.ext4 and fsfreeze)"
  exit 0
fi

STATE="$(mktemp -d)"
# What cluster-disk.sh takes from ./cluster.
die() { echo "cluster: $*" >&2; exit 2; }
node_dir() { echo "$STATE/n$1"; }
check_index() { [[ $1 == 1 ]] || die "no node n$1"; }
total() { echo 1; }
touch "$STATE/own-disks"
# shellcheck source=liberty-config/src/main/sh/cluster-disk.sh
source "$ROOT/liberty-config/src/main/sh/cluster-disk.sh"

passed=0
failed=0
check() { local what=$1; shift; if "$@"; then echo "ok - $what"; passed=$((passed + 1)); else echo "not ok - $what"; failed=$((failed + 1)); fi; }
finish() {
  disk_thaw_all
  disk_down_all
  rm -rf "$STATE"
  echo "disk-lab test: $passed passed, $failed failed"
  (( failed == 0 )) || exit 1
  exit 0
}
trap finish EXIT

data="$(node_dir 1)/data"
# Frozen, asked without touching the disk (a write would wait, unkillably, until the thaw): a second freeze of a
# frozen filesystem is refused at once; one that succeeds is undone.
frozen() {
  if fsfreeze -f "$data" 2>/dev/null; then fsfreeze -u "$data"; return 1; fi
  return 0
}
thawed() { ! frozen; }
# No live process in process group $1 (the watch's session) within a second. A killed process stays in its group
# as a zombie until its parent or init reaps it, so zombies do not count. /proc/PID/stat after the command
# name's closing parenthesis: state, parent, group.
watch_gone() {
  [[ -n $1 ]] || return 1 # no watch recorded
  local t
  for ((t = 0; t < 10; t++)); do
    awk -v g="$1" '{ sub(/^.*\) /, ""); if ($3 == g && $1 != "Z") live = 1 } END { exit live }' /proc/[0-9]*/stat \
      2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

disk_up 1
check "n1's data directory is a filesystem of its own" mountpoint -q "$data"
echo before >"$data/file"

DISK_FREEZE_LIMIT=2
cmd_disk freeze 1 >/dev/null
first_watch="$(cat "$(node_dir 1)/disk-thaw.pid")"
check "freeze freezes it" frozen
cmd_disk thaw 1 >/dev/null
check "thaw thaws it" thawed
check "and stops the freeze's dead man's thaw, sleep included" watch_gone "$first_watch"

DISK_FREEZE_LIMIT=60
cmd_disk freeze 1 >/dev/null
sleep 3 # past the first freeze's limit
check "a second freeze lasts past the first one's limit" frozen
second_watch="$(cat "$(node_dir 1)/disk-thaw.pid")"
disk_thaw_all
check "thawing every disk stops every dead man's thaw" watch_gone "$second_watch"
check "what was written before is there" grep -qx before "$data/file"
