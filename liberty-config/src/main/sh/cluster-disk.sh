# shellcheck shell=bash
# `./cluster start --own-disks`: each node's data directory on a filesystem of its own (an ext4 image on a loop
# device, 512 MB, sparse), so that `./cluster disk freeze I` stalls exactly that node's disk as a SAN or cloud
# volume that stops answering does: fsfreeze makes every write and sync on it wait until `disk thaw I` (reads
# of what is cached go on). Needs root and loop devices. A process waiting on a frozen filesystem cannot be
# killed until it is thawed, so every stop and wipe thaws first, and a freeze thaws itself after
# DISK_FREEZE_LIMIT seconds should nothing else. Sourced by ./cluster, whose helpers it uses.

DISK_FREEZE_LIMIT="${RAFTSTORE_DISK_FREEZE_LIMIT:-30}"

disks_mode() { [[ -f $STATE/own-disks ]]; }

# disk_up I: node I's data directory mounted on its own filesystem, made on first use.
disk_up() {
  local dir img; dir="$(node_dir "$1")/data"; img="$STATE/n$1.ext4"
  mkdir -p "$dir"
  mountpoint -q "$dir" && return 0
  if [[ ! -f $img ]]; then
    truncate -s 512M "$img"
    mkfs.ext4 -q -F "$img" >/dev/null || die "mkfs.ext4 failed on $img (the e2fsprogs package)"
  fi
  mount -o loop "$img" "$dir" || die "cannot mount n$1's disk image $img: --own-disks needs root and loop devices"
}

disk_mounted() { local dir; dir="$(node_dir "$1")/data"; [[ -d $dir ]] && mountpoint -q "$dir"; }

# disk_thaw I: node I's disk thawed (harmless when it is not frozen), and the dead man's thaw its freeze started
# stopped: left running, it would cut a later freeze of the same disk short.
disk_thaw() {
  local watch; watch="$(node_dir "$1")/disk-thaw.pid"
  if [[ -f $watch ]]; then
    kill -- "-$(cat "$watch")" 2>/dev/null || true # its session: the shell and its sleep
    rm -f "$watch"
  fi
  if disk_mounted "$1"; then fsfreeze -u "$(node_dir "$1")/data" 2>/dev/null || true; fi
}

# disk_forget I: node I's disk unmounted and its image removed (a node added anew starts empty).
disk_forget() {
  disk_thaw "$1"
  if disk_mounted "$1"; then umount "$(node_dir "$1")/data"; fi
  rm -f "$STATE/n$1.ext4"
}

disk_thaw_all() { local i; for ((i = 1; i <= $(total); i++)); do disk_thaw "$i"; done; }

# Every node's disk unmounted (after its process is gone), so the state folder can be removed.
disk_down_all() {
  local i
  for ((i = 1; i <= $(total); i++)); do
    if disk_mounted "$i"; then umount "$(node_dir "$i")/data"; fi
  done
}

cmd_disk() {
  disks_mode || die "'disk' needs a cluster started with './cluster start --own-disks'"
  case ${1:-} in
    freeze | thaw) ;;
    *) die "usage: ./cluster disk freeze|thaw I" ;;
  esac
  check_index "${2:-}"
  disk_thaw "$2"
  if [[ $1 == freeze ]]; then
    local dir; dir="$(node_dir "$2")/data"
    fsfreeze -f "$dir"
    # The dead man's thaw: a test that dies between freeze and thaw must not leave a node unkillable. In a
    # session of its own, so that disk_thaw stops it, sleep included, by its PID.
    setsid bash -c "sleep $DISK_FREEZE_LIMIT; fsfreeze -u '$dir' 2>/dev/null" </dev/null >/dev/null 2>&1 &
    echo $! >"$(node_dir "$2")/disk-thaw.pid"
    echo "n$2's disk frozen: its writes and syncs wait until './cluster disk thaw $2' (at most ${DISK_FREEZE_LIMIT}s)"
  else
    echo "n$2's disk thawed"
  fi
}
