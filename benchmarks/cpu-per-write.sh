#!/usr/bin/env bash
# CPU time per acknowledged write, all three nodes together (issue 18), beside the throughput it came with:
# on a shared 2-core machine it is the figure that decides the others. For each JVM choice the local cluster
# is started afresh, then each load runs once while the nodes' user+system CPU time is read from
# /proc/<pid>/stat before and after:
#   rest     RestLoadBenchmark to the leader, 64 clients, 10 s (writes = its writes/s x 10)
#   resp-1   redis-benchmark SET to the leader, 64 clients, no pipelining
#   resp-16  the same with pipelines of 16 (the SETs of a pipeline travel as one batch)
# JVM choices: dev (./cluster's default: C1 only, serial GC, 384 MB) and prod (C2, parallel GC, 1 GB), or
# RAFTSTORE_JVM_ARGS given as a third ("custom"). Run it on a quiet machine; the cluster is wiped at the end.
# Usage: benchmarks/cpu-per-write.sh [REQUESTS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requests=${1:-200000}
STATE="${RAFTSTORE_CLUSTER_DIR:-$ROOT/.cluster}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[[ -f $JAR ]] || { echo "no $JAR: mvn -pl benchmarks -am package -DskipTests first" >&2; exit 1; }
command -v redis-benchmark >/dev/null || { echo "needs redis-benchmark (Debian: redis-tools)" >&2; exit 1; }
# shellcheck source=benchmarks/cluster-common.sh
source "$ROOT/benchmarks/cluster-common.sh"
trap 'cl wipe >/dev/null 2>&1 || true' EXIT
TICKS=$(getconf CLK_TCK)

# The three nodes' CPU time so far, in clock ticks.
node_ticks() { cpu_ticks "$(cat "$STATE/n1/pid")" "$(cat "$STATE/n2/pid")" "$(cat "$STATE/n3/pid")"; }

# report JVM LOAD WRITES SECONDS TICKS
report() {
  awk -v jvm="$1" -v load="$2" -v w="$3" -v s="$4" -v t="$5" -v hz="$TICKS" -v la="$(cut -d' ' -f1 /proc/loadavg)" \
    'BEGIN { printf "%-6s %-8s %10.0f writes/s %8.1f CPU-ms per 1000 writes (3 nodes)  load %s\n", jvm, load, w / s, t * 1000 / hz / w * 1000, la }'
}

measure() { # JVM: one fresh cluster, the three loads
  local jvm=$1 leader url port before after start end out writes
  cl wipe >/dev/null 2>&1 || true
  cl start --no-samples 3 >/dev/null
  leader="$(await_leader)"
  url="$(cl url "$leader")"
  port="$(cl url "$leader" --resp)"; port="${port##*:}"
  # Warm-up, untimed: both paths, so the JIT has compiled them before anything is counted.
  redis-benchmark -p "$port" -t set -n "$requests" -r 100000 -c 64 -P 16 -q >/dev/null 2>&1
  (set -a; source "$STATE/credentials"; set +a; java -cp "$JAR" io.raftstore.bench.RestLoadBenchmark "$url" 64 0 5 >/dev/null)

  before="$(node_ticks)"; start=$(date +%s.%N)
  out="$(set -a; source "$STATE/credentials"; set +a; java -cp "$JAR" io.raftstore.bench.RestLoadBenchmark "$url" 64 0 10)"
  after="$(node_ticks)"; end=$(date +%s.%N)
  writes="$(awk '$1 == "64" { gsub(",", "", $2); print $2 * 10 }' <<<"$out")"
  report "$jvm" rest "$writes" 10 $(( after - before ))  # the tool's own rate; CPU includes its connection set-up

  for p in 1 16; do
    before="$(node_ticks)"; start=$(date +%s.%N)
    redis-benchmark -p "$port" -t set -n "$requests" -r 100000 -c 64 -P "$p" -q >/dev/null 2>&1
    after="$(node_ticks)"; end=$(date +%s.%N)
    report "$jvm" "resp-$p" "$requests" "$(echo "$end - $start" | bc)" $(( after - before ))
  done
  echo "#   $jvm ended in term $(redis-cli -p "$port" INFO replication | tr -d '\r' | sed -n 's/^raftstore_term://p')"
}

echo "# $(date -u '+%F %T') UTC, build $(git -C "$ROOT" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -n ${RAFTSTORE_JVM_ARGS:-} ]]; then
  measure custom
else
  (unset RAFTSTORE_JVM_ARGS; measure dev)
  (export RAFTSTORE_JVM_ARGS="-Xms512m -Xmx1g -XX:+UseParallelGC"; measure prod)
fi
echo "# end $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
