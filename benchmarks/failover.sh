#!/usr/bin/env bash
# Failover time of a running local cluster (./cluster start): kill -9 (or SIGSTOP) the leader, then PUT
# through a survivor until a write is acknowledged; the time from the signal to that acknowledgement is
# one sample. Runs R rounds (default 5), bringing the node back between rounds, and prints the median.
# Usage: benchmarks/failover.sh kill|pause [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=${1:-kill}
rounds=${2:-5}
[[ $mode == kill || $mode == pause ]] || { echo "usage: $0 kill|pause [ROUNDS]" >&2; exit 1; }
# shellcheck source=benchmarks/cluster-common.sh
source "$ROOT/benchmarks/cluster-common.sh"
# The key-value API needs a login: the cluster's generated passwords (RAFTSTORE_APP_PASSWORD for user app).
set -a; source "${RAFTSTORE_CLUSTER_DIR:-$ROOT/.cluster}/credentials"; set +a


samples=()
for r in $(seq 1 "$rounds"); do
  leader="$(await_leader 30)"
  survivor=$(( leader % 3 + 1 ))
  survivor_url="$(cl url "$survivor")"
  t0=$(date +%s%N)
  if [[ $mode == kill ]]; then cl kill "$leader" >/dev/null; else cl pause "$leader" >/dev/null; fi
  acked=""
  for attempt in $(seq 1 2000); do
    code=$(curl -s -o /dev/null -w "%{http_code}" --max-time 10 -u "app:$RAFTSTORE_APP_PASSWORD" -X PUT --data-binary "r$r-$attempt" \
      "$survivor_url/api/kv/failover-probe" || true)
    if [[ $code == 200 || $code == 201 ]]; then acked=$(date +%s%N); break; fi
    sleep 0.005
  done
  [[ -n $acked ]] || { echo "round $r: no write acknowledged" >&2; exit 1; }
  ms=$(( (acked - t0) / 1000000 ))
  samples+=("$ms")
  echo "round $r: $mode n$leader -> first acknowledged write via n$survivor after $ms ms ($attempt attempts)"
  if [[ $mode == kill ]]; then cl restart "$leader" >/dev/null; else cl resume "$leader" >/dev/null; fi
  sleep 3 # let the returning node catch up and the cluster settle
done
sorted=($(printf '%s\n' "${samples[@]}" | sort -n))
echo "$mode: median $(( sorted[(${#sorted[@]} - 1) / 2] )) ms over ${#sorted[@]} rounds (samples: ${samples[*]})"
