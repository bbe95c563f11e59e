#!/usr/bin/env bash
# Write pause of a graceful leader shutdown on a running local cluster (./cluster start): one client
# (WritePauseProbe, in one JVM) PUTs through a follower back to back; after 2 s the leader gets SIGTERM
# (Liberty stops the app, the node hands leadership over first). Prints the longest gap between two
# acknowledged writes after the signal and the typical gap before it. Runs R rounds (default 5),
# restarting the stopped node between rounds. Needs `mvn -pl benchmarks -am package` first.
# Usage: benchmarks/graceful-stop.sh [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-5}
# The key-value API needs a login: the cluster's generated passwords (RAFTSTORE_APP_PASSWORD for user app).
set -a; source "${RAFTSTORE_CLUSTER_DIR:-$ROOT/.cluster}/credentials"; set +a
for r in $(seq 1 "$rounds"); do
  leader=""
  for _ in $(seq 1 300); do
    leader="$("$ROOT/cluster" leader 2>/dev/null || true)"
    [[ -n $leader ]] && break
    sleep 0.1
  done
  [[ -n $leader ]] || { echo "no leader within 30 s" >&2; exit 1; }
  via=$(( leader % 3 + 1 ))
  pid="$("$ROOT/cluster" status --json | jq -r --argjson n "$leader" '.[] | select(.number == $n) | .pid')"
  echo -n "round $r: n$leader stopped, writes via n$via: "
  timeout 120 java -cp "$ROOT/benchmarks/target/benchmarks.jar" io.raftstore.bench.WritePauseProbe \
    "$("$ROOT/cluster" url "$via")" "$pid" TERM 2 4
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  # The probe's SIGTERM stopped it; ./cluster sees its recorded PID gone and starts it again on its data.
  "$ROOT/cluster" restart "$leader" >/dev/null
  sleep 3 # let the returning node catch up
done
"$ROOT/cluster" status
