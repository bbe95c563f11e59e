# Sourced by the benchmark scripts (after they set ROOT, the repository): the local cluster's script and a
# bounded wait for its leader.
cl() { "$ROOT/cluster" "$@"; }

# await_leader [SECONDS]: prints the leader's number once one is known; fails after SECONDS (60 by default).
await_leader() {
  local i l tries=$(( ${1:-60} * 10 ))
  for ((i = 0; i < tries; i++)); do
    l="$(cl leader 2>/dev/null || true)"
    if [[ -n $l ]]; then echo "$l"; return 0; fi
    sleep 0.1
  done
  echo "no leader within ${1:-60} s" >&2
  return 1
}

# cpu_ticks PID...: the processes' user+system CPU time so far, in clock ticks (fields 14 and 15 of
# /proc/PID/stat, counted after the command name, which may hold spaces); 0 for no processes.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    read -r -a f <<<"$(sed 's/^.*) //' "/proc/$pid/stat")"
    total=$(( total + f[11] + f[12] ))
  done
  echo "$total"
}
