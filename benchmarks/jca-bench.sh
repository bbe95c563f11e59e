#!/usr/bin/env bash
# Cost of the JCA adapter: starts its own local 3-node cluster (own ports and state folder, wiped at the
# end), then, on the leader's server, runs put / linearizable get / 10-write transaction with 16 and 64
# concurrent callers, once through the adapter (jca-bench app, a pooled connection per call, a JTA
# transaction for tx10) and once through the node's gateway (the node's local interface behind a thin
# mapping). Prints one Markdown table row per run, ready for docs/benchmarks.md. The cluster is ./cluster's
# development cluster: it deploys the jca-bench app (/bench) beside the store.
# Usage: benchmarks/jca-bench.sh [SECONDS_PER_RUN]   (default 10, plus 3 s of unmeasured warm-up)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=${1:-10}
export RAFTSTORE_CLUSTER_DIR="$ROOT/benchmarks/target/jca-bench-cluster"
export RAFTSTORE_HTTP_BASE=9280
export RAFTSTORE_JGROUPS_BASE=19800
cl() { "$ROOT/cluster" "$@"; }
trap 'cl wipe >/dev/null 2>&1 || true' EXIT

mkdir -p "$RAFTSTORE_CLUSTER_DIR"
cl start 3 >/dev/null
leader=""
for _ in $(seq 1 300); do
  leader="$(cl leader 2>/dev/null || true)"
  [[ -n $leader ]] && break
  sleep 0.1
done
[[ -n $leader ]] || { echo "no leader within 30 s" >&2; exit 1; }
base="$(cl url "$leader")/bench/api/run"
start_term="$(cl status --json | jq -r --argjson n "$leader" '.[] | select(.number == $n) | .term')"
# A node reports ready before every application has started: wait for the benchmark app itself.
for _ in $(seq 1 240); do
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$base?via=gateway&op=get&callers=1&seconds=1&warmupSeconds=0") == 200 ]] && break
  sleep 0.5
done

echo "| op | callers | via | calls/s | p50 µs | p99 µs | errors |"
echo "|---|---|---|---|---|---|---|"
for op in put get tx10; do
  for callers in 16 64; do
    for via in gateway adapter; do
      json="$(curl -s --max-time $((seconds + 200)) "$base?via=$via&op=$op&callers=$callers&seconds=$seconds&warmupSeconds=3")"
      # {"via":..,"result":{"calls":N,"errors":N,"seconds":S,"callsPerSecond":X,"p50Micros":A,"p99Micros":B}}
      row="$(jq -r --arg op "$op" --arg callers "$callers" --arg via "$via" '.result
        | "| \($op) | \($callers) | \($via) | \(.callsPerSecond) | \(.p50Micros) | \(.p99Micros) | \(.errors) |"' \
        <<<"$json" 2>/dev/null)" || { echo "run $via $op $callers failed: $json" >&2; exit 1; }
      echo "$row"
    done
  done
done
# Errors are usually requests in flight when leadership moved (a loaded machine misses heartbeats):
# the terms before and after tell whether that happened during the runs.
echo
echo "terms after the runs (the cluster started in term ${start_term:-?}):"
cl status | sed 's/^/    /'
