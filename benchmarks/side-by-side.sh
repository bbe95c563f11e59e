#!/usr/bin/env bash
# RaftStore and jgroups-raft side by side in one session, so that their figures can be compared as ratios
# (this machine is shared: figures from different sessions cannot be). Alternates, for ROUNDS rounds
# (default 2): RaftStore's LocalApiBenchmark, then the jgroups-raft peer (JGroupsRaftBenchmark): both 3
# members in one JVM on 127.0.0.1 with fsync on, the same closed-loop clients on the leader, each run on
# its own ports in 19900-19999. Prints each table with the time and `uptime` before and after it, then a
# summary of the targets (writes/s at 64 clients, p99 at 16).
#
# Usage: benchmarks/side-by-side.sh [SECONDS]     measured seconds per client level (default 20)
#   environment: WARMUP (s, default 5), LEVELS (default 1,16,64), ROUNDS (default 2),
#                JAVA_OPTS (the same for both; default -Djava.net.preferIPv4Stack=true),
#                JVM_WARM (s of unmeasured load at the highest level when each JVM starts, default 45:
#                          the JIT compiles meanwhile; docs/benchmarks.md, "The JIT in the local figures"),
#                PEER_CP (the peer's classpath; default benchmarks/target/classes:benchmarks/target/peer-lib/*)
# Builds nothing; build first with: mvn -B -ntp -pl benchmarks -am package -DskipTests
# Every run is bounded (timeout) and a run still going when this script stops is stopped by its PID.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="$ROOT/benchmarks"
seconds=${1:-20}
warmup=${WARMUP:-5}
levels=${LEVELS:-1,16,64}
rounds=${ROUNDS:-2}
jvm_warm=${JVM_WARM:-45}
java_opts="${JAVA_OPTS:--Djava.net.preferIPv4Stack=true} -Dbench.jvm.warmup=$jvm_warm"
raftstore_cp="$B/target/benchmarks.jar"
peer_cp=${PEER_CP:-"$B/target/classes:$B/target/peer-lib/*"}

[[ $seconds =~ ^[0-9]+$ && $warmup =~ ^[0-9]+$ && $rounds =~ ^[0-9]+$ && $levels =~ ^[0-9]+(,[0-9]+)*$ ]] \
  || { echo "usage: $0 [SECONDS]  (WARMUP, LEVELS=1,16,64, ROUNDS as whole numbers)" >&2; exit 1; }
(( rounds >= 1 && rounds <= 4 )) || { echo "ROUNDS must be 1..4 (ports are planned for at most 4)" >&2; exit 1; }
if [[ ! -f $raftstore_cp || ! -f $B/target/classes/io/raftstore/bench/peer/JGroupsRaftBenchmark.class ]] \
   || ! compgen -G "$B/target/peer-lib/jgroups-raft-*.jar" >/dev/null; then
  echo "not built: run  mvn -B -ntp -pl benchmarks -am package -DskipTests  first" >&2
  exit 1
fi

n_levels=$(tr ',' '\n' <<<"$levels" | wc -l)
limit=$(( n_levels * (warmup + seconds) + jvm_warm + 120 )) # the runs' own windows, plus start, election and shutdown
out="$(mktemp -d /tmp/side-by-side.XXXXXX)"
current=""   # PID of the run in progress (its `timeout`, which passes a signal on to the JVM)
failed=0

stop_current() {
  if [[ -n $current ]] && kill -0 "$current" 2>/dev/null; then
    kill -TERM "$current" 2>/dev/null || true
    wait "$current" 2>/dev/null || true
  fi
  current=""
}
trap stop_current EXIT
trap 'echo "interrupted; outputs so far in $out" >&2; exit 130' INT TERM

ports_free() {
  local p
  for p in "$@"; do
    if [[ -n $(ss -Hltn "sport = :$p" 2>/dev/null) ]]; then
      echo "port $p is in use: not starting" >&2
      return 1
    fi
  done
}

# run TAG TITLE PORT... -- JAVA ARGS...
run() {
  local tag=$1 title=$2; shift 2
  local ports=()
  while [[ $1 != -- ]]; do ports+=("$1"); shift; done
  shift
  echo
  echo "=== $title"
  echo "    start $(date -u '+%F %T UTC') | uptime:$(uptime)"
  if ! ports_free "${ports[@]}"; then failed=1; return; fi
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  timeout --kill-after=15 "$limit" java $java_opts "$@" >"$out/$tag.out" 2>"$out/$tag.err" &
  current=$!
  local rc=0
  wait "$current" || rc=$?
  current=""
  grep -v '^\s*$' "$out/$tag.out" || true
  echo "    end   $(date -u '+%F %T UTC') | uptime:$(uptime) | exit $rc"
  if (( rc != 0 )); then
    failed=1
    echo "    FAILED$( (( rc == 124 )) && echo " (time limit ${limit} s)"); last lines of its stderr:"
    tail -n 15 "$out/$tag.err" | sed 's/^/    | /'
  fi
}

# writes/s and p99 of the row for N clients in a table (empty when absent)
col() { awk -v n="$2" -v c="$3" '$1 == n && NF == 6 { gsub(",", "", $c); print $c }' "$1" 2>/dev/null | tail -1; }

echo "side by side: $rounds round(s), levels $levels, ${warmup} s warm-up + ${seconds} s measured per level,"
echo "each run bounded to ${limit} s; $(nproc) cores; java $(java -version 2>&1 | head -1)"
for r in $(seq 1 "$rounds"); do
  rs_base=$(( 19900 + 10 * r ))  # RaftStore nodes on base+1..3
  jr_base=$(( 19940 + 10 * r ))  # jgroups-raft members on base+1..3, FD_SOCK2 at +21..23
  run "raftstore-$r" "round $r: RaftStore LocalApiBenchmark (ports $((rs_base + 1))-$((rs_base + 3)))" \
    $((rs_base + 1)) $((rs_base + 2)) $((rs_base + 3)) -- \
    -cp "$raftstore_cp" io.raftstore.bench.LocalApiBenchmark "$levels" "$warmup" "$seconds" "$rs_base" leader
  run "jgroups-raft-$r" "round $r: jgroups-raft JGroupsRaftBenchmark (ports $((jr_base + 1))-$((jr_base + 3)))" \
    $((jr_base + 1)) $((jr_base + 2)) $((jr_base + 3)) $((jr_base + 21)) $((jr_base + 22)) $((jr_base + 23)) -- \
    -cp "$peer_cp" io.raftstore.bench.peer.JGroupsRaftBenchmark "$levels" "$warmup" "$seconds" "$jr_base"
done

echo
echo "=== summary (targets: RaftStore writes/s at 64 clients >= 2x jgroups-raft's; RaftStore p99 at 16 clients <= 2 ms)"
for r in $(seq 1 "$rounds"); do
  rs="$out/raftstore-$r.out" jr="$out/jgroups-raft-$r.out"
  rs64=$(col "$rs" 64 2) jr64=$(col "$jr" 64 2) rs16=$(col "$rs" 16 4) jr16=$(col "$jr" 16 4)
  ratio="n/a"
  if [[ -n $rs64 && -n $jr64 && $jr64 != 0 ]]; then ratio=$(awk -v a="$rs64" -v b="$jr64" 'BEGIN { printf "%.2f", a / b }'); fi
  echo "round $r: 64 clients: RaftStore ${rs64:-n/a} writes/s, jgroups-raft ${jr64:-n/a} writes/s, ratio $ratio;" \
       "p99 at 16 clients: RaftStore ${rs16:-n/a} ms, jgroups-raft ${jr16:-n/a} ms"
done

if (( failed )); then
  echo "some run failed; outputs kept in $out" >&2
  exit 1
fi
rm -rf "$out"
