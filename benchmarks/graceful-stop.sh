#!/usr/bin/env bash
# Write pause of a graceful leader shutdown on a running local cluster (./cluster start): one client
# PUTs through a follower back to back; the leader gets SIGTERM (Liberty stops the app, the node hands
# leadership over first). Prints the longest gap between two acknowledged writes around the stop, and
# any failed writes. Restarts the stopped node at the end.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
leader=$("$ROOT/cluster" status | awk '$6=="LEADER"{print substr($1,2)}' | head -1)
[[ -n $leader ]] || { echo "no leader" >&2; exit 1; }
via=$(( leader % 3 + 1 ))
log=$(mktemp)
(
  end=$((SECONDS + 8))
  i=0
  while (( SECONDS < end )); do
    i=$((i + 1))
    code=$(curl -s -o /dev/null -w "%{http_code}" --max-time 10 -X PUT --data-binary "$i" \
      "http://127.0.0.1:$((9080 + via))/api/kv/graceful-probe" || true)
    echo "$(date +%s%N) $code" >>"$log"
  done
) &
writer=$!
sleep 2
pid=$(cat "$ROOT/.cluster/n$leader/pid")
stop_at=$(date +%s%N)
kill -TERM "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
rm -f "$ROOT/.cluster/n$leader/pid"
wait "$writer"
awk -v stop="$stop_at" '
  $2 ~ /^20[01]$/ { if (prev && $1 > stop - 2e9) { gap = ($1 - prev) / 1e6; if (gap > max) max = gap }; prev = $1; ok++ }
  $2 !~ /^20[01]$/ { bad++ }
  END { printf "writes acknowledged %d, failed %d; longest gap between acknowledged writes around the stop: %.0f ms\n", ok, bad, max }
' "$log"
rm -f "$log"
"$ROOT/cluster" restart "$leader" >/dev/null
"$ROOT/cluster" status
