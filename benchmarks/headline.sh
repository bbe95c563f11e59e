#!/usr/bin/env bash
# The headline figures of docs/benchmarks.md (issue 18): every path a user has to a RaftStore cluster, beside
# etcd 3.4 (Debian's etcd-server, three members) and jgroups-raft, in one session, with the server CPU time
# each write or read cost. Steps, each on its own (nothing else of this script runs meanwhile):
#   1. baselines: the disk's durable append and a loopback round trip (io.raftstore.bench.Baselines);
#   2. etcd, three members on loopback: gRPC (etcd's jetcd client, EtcdLoadBenchmark) and the JSON gateway
#      (wrk), put / linearizable get / serializable get;
#   3. RaftStore, ./cluster with the production JVM: REST with wrk (put, get at linearizable, lease, stale),
#      REST with the Java harness (RestLoadBenchmark, put), the Redis endpoint (redis-benchmark SET/GET), the
#      JCA adapter from an application on the leader and on a follower (jca-bench: put, get at each consistency);
#      the cluster runs with raftstore.lease.reads=true;
#   4. the local API beside jgroups-raft, in process (side-by-side.sh's two harnesses), each over LOCAL_LEVELS
#      (default 1,16,64) in one JVM, alternated LOCAL_ROUNDS times (default 2; the table takes the mean), each
#      JVM first warmed unmeasured for LOCAL_JVM_WARM s (default 45) at the highest level.
# Clients: LEVELS (default 1,16,64,256), each run WARMUP s unmeasured then SECONDS measured, always against
# the leader except where a follower is named. CPU: user+system time of the three server processes
# (/proc/PID/stat) across the measured window, per 1000 operations. Results: one JSON object per run in
# OUT/results.jsonl (default benchmarks/target/headline), then the table (benchmarks/headline-table.sh).
# Run it on a quiet machine; it stops everything it started (by PID) and wipes both clusters at the end.
# Usage: benchmarks/headline.sh [SECONDS]   (default 8; WARMUP default 4; REST_WARM, the writes that warm a fresh
# cluster first, default 120; LOCAL_JVM_WARM, the local harnesses' unmeasured start, default 45; STEPS default
# "baseline etcd raftstore local", any subset, in that order)
# Needs: wrk redis-tools etcd-server etcd-client jq (Debian), and mvn -pl benchmarks -am package -DskipTests.
set -Eeuo pipefail
trap 'echo "headline.sh: line $LINENO failed: $BASH_COMMAND" >&2' ERR
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
B="$ROOT/benchmarks"
seconds=${1:-8}
warmup=${WARMUP:-4}
IFS=, read -r -a levels <<<"${LEVELS:-1,16,64,256}"
# The local API's levels: members and client threads share one JVM there, so 256 clients is no server's case.
LOCAL_LEVELS=${LOCAL_LEVELS:-1,16,64}
IFS=, read -r -a local_levels <<<"$LOCAL_LEVELS"
local_jvm_warm=${LOCAL_JVM_WARM:-45}
out=${OUT:-$B/target/headline}
steps=" ${STEPS:-baseline etcd raftstore local} "
step() { [[ $steps == *" $1 "* ]]; }
JAR="$B/target/benchmarks.jar"
export WRK_DIR="$B/wrk"
export RAFTSTORE_JVM_ARGS="${RAFTSTORE_JVM_ARGS:--Xms512m -Xmx1g -XX:+UseParallelGC}"
STATE="${RAFTSTORE_CLUSTER_DIR:-$ROOT/.cluster}"
for tool in wrk redis-benchmark etcd etcdctl jq; do
  command -v "$tool" >/dev/null || { echo "needs $tool (Debian: wrk redis-tools etcd-server etcd-client jq)" >&2; exit 1; }
done
[[ -f $JAR ]] || { echo "no $JAR: mvn -pl benchmarks -am package -DskipTests first" >&2; exit 1; }
# shellcheck source=benchmarks/cluster-common.sh
source "$B/cluster-common.sh"
mkdir -p "$out"
results="$out/results.jsonl"
: >"$results"
etcd_dir="$out/etcd"
etcd_pids=()

stop_etcd() {
  local p
  for p in "${etcd_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${etcd_pids[@]}"; do wait "$p" 2>/dev/null || true; done
  etcd_pids=()
  rm -rf "$etcd_dir"
}
trap 'stop_etcd; cl wipe >/dev/null 2>&1 || true' EXIT

server_pids=()
# record SYSTEM API OP CLIENTS JSON TICKS: JSON has ops_per_s, p50_ms, p99_ms, errors, seconds, and ticks when
# the harness counted the servers' CPU itself (then TICKS, counted around the whole command, is ignored).
record() {
  jq -c --arg system "$1" --arg api "$2" --arg op "$3" --argjson clients "$4" --argjson ticks "$6" \
    --argjson hz "$(getconf CLK_TCK)" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
    '{system: $system, api: $api, op: $op, clients: $clients} + .
     + {cpu_ms_per_1000: ((.ticks // $ticks) as $t | if .ops_per_s > 0 and $t >= 0
          then ($t * 1000 / $hz) / (.ops_per_s * (.cpu_seconds // .seconds)) * 1000 else null end),
        load: ($load | tonumber)}' <<<"$5" | tee -a "$results"
}

# measure SYSTEM API OP CLIENTS CMD...: runs CMD (which prints the JSON record's fields) with the CPU counted.
measure() {
  local system=$1 api=$2 op=$3 clients=$4 before json
  shift 4
  before="$(cpu_ticks "${server_pids[@]}")"
  json="$("$@")"
  record "$system" "$api" "$op" "$clients" "$json" $(( $(cpu_ticks "${server_pids[@]}") - before ))
}

# wrk_json URL SCRIPT OP CLIENTS SECONDS [CONSISTENCY]: one wrk run, its report as the record's fields.
wrk_json() {
  local threads=2
  (( $4 < 2 )) && threads=1
  WRK_OP=$3 WRK_CONSISTENCY=${6:-} timeout $(( $5 + 60 )) wrk -t"$threads" -c"$4" -d"$5s" -s "$B/wrk/$2" "$1" | tail -1 \
    | jq -c --argjson s "$5" '{ops_per_s: (.requests / (.duration_us / 1e6)), p50_ms: (.p50_us / 1000),
        p99_ms: (.p99_us / 1000), errors: (.errors + .non2xx), seconds: $s}'
}

wrk_run() { # SYSTEM API URL SCRIPT OP CLIENTS [CONSISTENCY]
  local system=$1 api=$2 url=$3 script=$4 op=$5 clients=$6 consistency=${7:-}
  wrk_json "$url" "$script" "$op" "$clients" "$warmup" "$consistency" >/dev/null
  measure "$system" "$api" "$op${consistency:+ $consistency}" "$clients" wrk_json "$url" "$script" "$op" "$clients" "$seconds" "$consistency"
}

# closed_loop CLASSPATH CLASS ARGS...: a Java harness printing ClosedLoopLoad's table for one level; its row as
# fields, with the servers' CPU ticks it counted around its measured window only (not its warm-up).
closed_loop() {
  local cp=$1
  shift
  timeout $(( seconds + warmup + 120 )) java -Djava.net.preferIPv4Stack=true \
    -Dbench.cpu.pids="$(IFS=,; echo "${server_pids[*]}")" -cp "$cp" "$@" \
    | awk '$1 ~ /^[0-9]+$/ && NF == 6 { gsub(",", "", $2); printf "{\"ops_per_s\":%s,\"p50_ms\":%s,\"p99_ms\":%s,\"errors\":%s,\"ticks\":%s,\"seconds\":%s}\n",
      $2, $3, $4, $5, $6, s }' s="$seconds"
}

# local_run SYSTEM ROUND CLASSPATH CLASS ARGS...: a Java harness run over several levels in one JVM; one record
# per level (with its round and the bytes its JVM allocated per write), each with the load when the run ended.
local_run() {
  local system=$1 round=$2 cp=$3
  shift 3
  timeout $(( (seconds + warmup) * ${#local_levels[@]} + local_jvm_warm + 120 )) java -Djava.net.preferIPv4Stack=true \
    -Dbench.jvm.warmup="$local_jvm_warm" -cp "$cp" "$@" \
    | awk '$1 ~ /^[0-9]+$/ && NF == 6 { gsub(",", "", $2); row = sprintf("%s {\"ops_per_s\":%s,\"p50_ms\":%s,\"p99_ms\":%s,\"errors\":%s,\"ticks\":-1,\"seconds\":%s,\"round\":%s",
      $1, $2, $3, $4, $5, s, r) }
      $1 == "#" && $2 == "allocated" && row != "" { gsub(",", "", $3); printf "%s,\"bytes_per_op\":%s}\n", row, $3; row = "" }' \
      s="$seconds" r="$round" \
    | while read -r clients json; do record "$system" local put "$clients" "$json" -1; done
}

echo "# $(date -u '+%F %T') UTC, build $(git -C "$ROOT" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg), $seconds s per run after $warmup s"

# 1. Baselines, on the benchmark's own disk (the nodes' too).
if step baseline; then
  java -cp "$JAR" io.raftstore.bench.Baselines "$out" | jq -c '{system: "machine", api: "baseline"} + .' | tee -a "$results"
fi

if step etcd; then
# 2. etcd: three members on loopback (client ports 23791-23793, peer ports 23801-23803), fsync on (its default).
rm -rf "$etcd_dir"
cluster_spec="e1=http://127.0.0.1:23801,e2=http://127.0.0.1:23802,e3=http://127.0.0.1:23803"
for i in 1 2 3; do
  etcd --name "e$i" --data-dir "$etcd_dir/e$i" --listen-client-urls "http://127.0.0.1:2379$i" \
    --advertise-client-urls "http://127.0.0.1:2379$i" --listen-peer-urls "http://127.0.0.1:2380$i" \
    --initial-advertise-peer-urls "http://127.0.0.1:2380$i" --initial-cluster "$cluster_spec" \
    --initial-cluster-token headline --initial-cluster-state new --log-level error >"$out/etcd-e$i.log" 2>&1 &
  etcd_pids+=("$!")
done
endpoints="http://127.0.0.1:23791,http://127.0.0.1:23792,http://127.0.0.1:23793"
etcd_leader=""
for _ in $(seq 1 300); do
  etcd_leader="$(etcdctl --endpoints="$endpoints" endpoint status -w json 2>/dev/null \
    | jq -r '.[] | select(.Status.leader == .Status.header.member_id) | .Endpoint' 2>/dev/null || true)"
  [[ -n $etcd_leader ]] && break
  sleep 0.1
done
[[ -n $etcd_leader ]] || { echo "etcd elected no leader within 30 s (logs in $out)" >&2; exit 1; }
server_pids=("${etcd_pids[@]}")
for op in put get get-serializable; do
  for c in "${levels[@]}"; do
    measure etcd grpc "$op" "$c" closed_loop "$JAR" io.raftstore.bench.etcd.EtcdLoadBenchmark "$etcd_leader" "$op" "$c" "$warmup" "$seconds"
  done
done
for op in put get get-serializable; do
  for c in "${levels[@]}"; do
    wrk_run etcd json "$etcd_leader" etcd.lua "$op" "$c"
  done
done
stop_etcd
fi

if step raftstore; then
# 3. RaftStore: a fresh local cluster on the production JVM, with the sample applications (jca-bench), its
# leaders serving lease reads from their lease (raftstore.lease.reads), so that the lease rows measure that and
# not a linearizable read under another name; writes and the other reads take the same path either way.
cl wipe >/dev/null 2>&1 || true
RAFTSTORE_LEASE_READS=true cl start 3 >/dev/null
# Leadership can move under this load on two cores (a headline run once ended in term 3 and its JCA "leader" rows
# measured a follower): every measured run asks for the leader first, and the follower is the next node after it.
at_leader() { leader="$(await_leader)"; url="$(cl url "$leader")"; }
at_leader
server_pids=("$(cat "$STATE/n1/pid")" "$(cat "$STATE/n2/pid")" "$(cat "$STATE/n3/pid")")
# shellcheck disable=SC1091
WRK_AUTH="$(set -a; source "$STATE/credentials"; printf 'app:%s' "$RAFTSTORE_APP_PASSWORD" | base64 -w0)"
export WRK_AUTH
bench() { echo "$(cl url "$1")/bench/api/run"; }
for _ in $(seq 1 240); do # the benchmark application starts after the node reports ready
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$(bench "$leader")?via=gateway&op=get&callers=1&seconds=1&warmupSeconds=0") == 200 ]] && break
  sleep 0.5
done
# Unmeasured: the JIT warmed on every path, and every key of the workload written once in order, so that reads
# find them (checked with DBSIZE). REST writes on a fresh cluster kept rising for more than a minute of load
# (4,273 to 7,553/s over four 8-s runs after 30 s of writes, docs/benchmarks.md), so they get REST_WARM seconds
# (default 120) first: a store runs warm, and etcd, compiled ahead of time, has no such start.
resp_port="$(cl url "$leader" --resp)"; resp_port="${resp_port##*:}"
wrk_json "$url" raftstore.lua put 64 "${REST_WARM:-120}" >/dev/null
wrk_json "$url" raftstore.lua get 64 10 linearizable >/dev/null
wrk_json "$url" raftstore.lua get 64 5 stale >/dev/null
for _ in 1 2 3 4 5; do
  wrk_json "$url" raftstore.lua fill 64 5 >/dev/null
  (( $(redis-cli -p "$resp_port" DBSIZE) >= 10000 )) && break
done
(( $(redis-cli -p "$resp_port" DBSIZE) >= 10000 )) || { echo "the workload's keys were not all written" >&2; exit 1; }
redis-benchmark -p "$resp_port" -t set,get -n 200000 -r 10000 -c 64 -q >/dev/null 2>&1
for c in "${levels[@]}"; do at_leader; wrk_run raftstore rest "$url" raftstore.lua put "$c"; done
for consistency in linearizable lease stale; do
  for c in "${levels[@]}"; do at_leader; wrk_run raftstore rest "$url" raftstore.lua get "$c" "$consistency"; done
done
rest_java() {
  (set -a; source "$STATE/credentials"; set +a; closed_loop "$JAR" io.raftstore.bench.RestLoadBenchmark "$url" "$1" "$warmup" "$seconds")
}
for c in "${levels[@]}"; do at_leader; measure raftstore rest-java put "$c" rest_java "$c"; done

# redis-benchmark runs a number of requests, not a time: about SECONDS at the rates this build reaches.
resp_json() { # TEST CLIENTS
  local n=$(( (${2} < 16 ? 3000 : 25000) * seconds )) csv
  csv="$(timeout 300 redis-benchmark -p "$resp_port" -t "$1" -n "$n" -r 10000 -c "$2" --csv 2>/dev/null | tail -1)"
  # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  awk -F, -v n="$n" '{ gsub("\"", ""); printf "{\"ops_per_s\":%s,\"p50_ms\":%s,\"p99_ms\":%s,\"errors\":0,\"seconds\":%s}\n", $2, $5, $7, n / $2 }' <<<"$csv"
}
for t in set get; do
  for c in "${levels[@]}"; do measure raftstore resp "$t" "$c" resp_json "$t" "$c"; done
done

jca_json() { # NODE OP CALLERS
  curl -s --max-time $(( seconds + warmup + 200 )) \
    "$(bench "$1")?via=adapter&op=$2&callers=$3&seconds=$seconds&warmupSeconds=$warmup" \
    | jq -c --argjson s "$seconds" --argjson w "$warmup" '.result | {ops_per_s: .callsPerSecond,
        p50_ms: (.p50Micros / 1000), p99_ms: (.p99Micros / 1000), errors: .errors, seconds: $s,
        cpu_seconds: ($s + $w)}' # its warm-up runs inside the same request: CPU counted over both
}
for where in leader follower; do
  for op in put get get-lease get-stale; do
    for c in "${levels[@]}"; do
      at_leader
      node=$leader; [[ $where == follower ]] && node=$(( leader % 3 + 1 ))
      measure raftstore "jca-$where" "$op" "$c" jca_json "$node" "$op" "$c"
    done
  done
done
echo "# RaftStore ended in term $(cl status --json | jq -r 'map(.term) | max') (leader n$(await_leader))"
cl wipe >/dev/null
fi

if step local; then
# 4. The local API beside jgroups-raft: three members in one JVM each (side-by-side.sh's harnesses and ports),
# writes on the leader; no server CPU here (clients and members share the process). Each harness runs every
# level in one JVM, after LOCAL_JVM_WARM s of the workload at the highest level, unmeasured: a server runs warm,
# and with 4 s of warm-up per level the JIT still held 30% of RaftStore's CPU at 16 clients (a fresh JVM per
# level measured mostly the JIT on this machine); jgroups-raft gets the same warm-up. The two alternate for
# LOCAL_ROUNDS rounds (default 2), and the table takes the mean of the rounds.
for round in $(seq 1 "${LOCAL_ROUNDS:-2}"); do
  local_run raftstore "$round" "$JAR" io.raftstore.bench.LocalApiBenchmark "$LOCAL_LEVELS" "$warmup" "$seconds" 19910 leader
  local_run jgroups-raft "$round" "$B/target/classes:$B/target/peer-lib/*" \
    io.raftstore.bench.peer.JGroupsRaftBenchmark "$LOCAL_LEVELS" "$warmup" "$seconds" 19950
done
fi

echo "# end $(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$B/headline-table.sh" "$results"
