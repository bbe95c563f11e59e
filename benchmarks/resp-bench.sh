#!/usr/bin/env bash
# The Redis protocol (issue 17), side by side in one session:
#   redis     one unreplicated redis-server with appendonly yes and appendfsync always (every write on disk
#             before its answer, the setting as safe as RaftStore's acknowledged writes), on the same disk
#   leader    RaftStore's Redis endpoint on the leader of a local three-node cluster
#   follower  the same on a follower (reads served there, writes forwarded to the leader)
#   rest      RaftStore's REST writes to the leader (RestLoadBenchmark), the peer the target is set against
# each measured with redis-benchmark -t set,get at the given client and pipeline settings, ROUNDS times
# alternating. Keys are random (-r), values 3 bytes (redis-benchmark's default). The cluster, the clients
# and redis-server share the machine: run it on a quiet one. Prints one line per figure; the cluster is wiped
# at the end and redis-server stopped by its PID.
# The nodes run with a production JVM (C2, a 1 GB heap; RAFTSTORE_JVM_ARGS overrides it), not ./cluster's small
# development one, and every round begins with an untimed warm-up against the leader. Each round prints the
# term before and after it: a leader change inside a round shows there.
# Usage: benchmarks/resp-bench.sh [ROUNDS] [REQUESTS] [SETTINGS...]   SETTINGS like "16:1" = -c 16 -P 1
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-2}
requests=${2:-20000}
shift $(( $# >= 2 ? 2 : $# ))
settings=("$@")
(( ${#settings[@]} > 0 )) || settings=(16:1 16:16 64:16)
STATE="${RAFTSTORE_CLUSTER_DIR:-$ROOT/.cluster}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
REDIS_PORT=6399
[[ -f $JAR ]] || { echo "no $JAR: mvn -pl benchmarks -am package -DskipTests first" >&2; exit 1; }
command -v redis-benchmark >/dev/null && command -v redis-server >/dev/null \
  || { echo "needs redis-benchmark and redis-server (Debian: redis-tools, redis-server)" >&2; exit 1; }
export RAFTSTORE_JVM_ARGS="${RAFTSTORE_JVM_ARGS:--Xms512m -Xmx1g -XX:+UseParallelGC}"
# shellcheck source=benchmarks/cluster-common.sh
source "$ROOT/benchmarks/cluster-common.sh"
redis_pid=""
stop_all() {
  [[ -z $redis_pid ]] || kill "$redis_pid" 2>/dev/null || true
  cl wipe >/dev/null 2>&1 || true
}
trap stop_all EXIT


# bench LABEL PORT CLIENTS PIPELINE: one redis-benchmark run, a line per test (rps, p50 and p99 in ms).
bench() {
  local label=$1 port=$2 c=$3 p=$4 line
  while IFS= read -r line; do
    # --csv: "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms",...
    IFS=, read -r test rps _ _ p50 _ p99 _ <<<"${line//\"/}"
    [[ $test == test ]] && continue
    printf '%-9s -c %-3s -P %-3s %-4s %10s req/s  p50 %6s ms  p99 %6s ms  load %s\n' "$label" "$c" "$p" "$test" \
      "$rps" "$p50" "$p99" "$(cut -d' ' -f1 /proc/loadavg)"
  done < <(redis-benchmark -h 127.0.0.1 -p "$port" -t set,get -n "$requests" -r 100000 -c "$c" -P "$p" --csv -q)
}

cl wipe >/dev/null 2>&1 || true
cl start --no-samples 3 >/dev/null
mkdir -p "$STATE/redis-bench"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --appendonly yes --appendfsync always --save "" \
  --dir "$STATE/redis-bench" --daemonize no >"$STATE/redis-bench/log" 2>&1 &
redis_pid=$!
for i in $(seq 1 100); do redis-cli -p "$REDIS_PORT" PING >/dev/null 2>&1 && break; sleep 0.1; done
echo "# $(date -u '+%F %T') UTC, build $(git -C "$ROOT" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  leader="$(await_leader)"
  follower=$(( leader % 3 + 1 ))
  lport="$(cl url "$leader" --resp)"; lport="${lport##*:}"
  fport="$(cl url "$follower" --resp)"; fport="${fport##*:}"
  term() { redis-cli -p "$lport" INFO replication | tr -d '\r' | sed -n 's/^raftstore_term://p'; }
  redis-benchmark -h 127.0.0.1 -p "$lport" -t set,get -n "$requests" -r 100000 -c 64 -P 16 -q >/dev/null 2>&1
  echo "# round $round: leader n$leader (:$lport), follower n$follower (:$fport), term $(term), JVM $RAFTSTORE_JVM_ARGS"
  for s in "${settings[@]}"; do
    bench redis "$REDIS_PORT" "${s%%:*}" "${s##*:}"
    bench leader "$lport" "${s%%:*}" "${s##*:}"
    bench follower "$fport" "${s%%:*}" "${s##*:}"
  done
  echo "rest      $(set -a; source "$STATE/credentials"; set +a
    java -cp "$JAR" io.raftstore.bench.RestLoadBenchmark "$(cl url "$leader")" 16,64 3 10 2>&1 | tr '\n' ' ')"
  echo "# round $round ends in term $(term)"
done
echo "# end $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
