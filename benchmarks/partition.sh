#!/usr/bin/env bash
# The majority's longest write gap when one node of a running `./cluster start --netns` cluster (3 nodes) is
# cut off: for each way of cutting (the leader both ways, a follower both ways, the leader hearing no one, no
# one hearing the leader), ROUNDS rounds of: one client per other node PUTs back to back (WriteGapProbe,
# 1 s request timeout), the cut starts 2 s in and is healed after CUT seconds, the probe runs 3 s more.
# Prints each round's gap and the terms before, during and after healing (a term change at healing means the
# rejoining node forced an election). Usage: benchmarks/partition.sh [ROUNDS] [CUT_SECONDS] [KINDS...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-3}
cut=${2:-6}
shift $(( $# > 2 ? 2 : $# ))
kinds=("${@:-leader follower leader-hears-no-one no-one-hears-leader}")
read -r -a kinds <<<"${kinds[*]}"
cl() { "$ROOT/cluster" "$@"; }
# The key-value API needs a login: the cluster's generated passwords (RAFTSTORE_APP_PASSWORD for user app).
set -a; source "${RAFTSTORE_CLUSTER_DIR:-$ROOT/.cluster}/credentials"; set +a
CP="$ROOT/benchmarks/target/classes"
[[ -f $CP/io/raftstore/bench/WriteGapProbe.class ]] || (cd "$ROOT" && mvn -q -B -pl benchmarks -am compile -DskipTests)

leader() { cl leader 2>/dev/null || true; }
max_term() { # the highest term among the given nodes that answer, 0 when none does
  cl status --json | jq --argjson nodes "[$(IFS=,; echo "$*")]" \
    '[.[] | select(.number as $n | $nodes | index($n)) | .term // 0] | max // 0'
}

for kind in "${kinds[@]}"; do
  gaps=()
  for r in $(seq 1 "$rounds"); do
    l=""; for _ in $(seq 1 100); do l=$(leader); [[ -n $l ]] && break; sleep 0.1; done
    [[ -n $l ]] || { echo "no leader" >&2; exit 1; }
    f=$(( l % 3 + 1 )); o=$(( f % 3 + 1 ))
    case $kind in follower) x=$f ;; *) x=$l ;; esac
    others=(); for i in 1 2 3; do (( i != x )) && others+=("$i"); done
    before=$(max_term 1 2 3)
    java -cp "$CP" io.raftstore.bench.WriteGapProbe $(( cut + 5 )) 1000 \
      "$(cl url "${others[0]}")" "$(cl url "${others[1]}")" >/tmp/partition-probe.$$ &
    probe=$!
    sleep 2
    case $kind in
      leader|follower) cl isolate "$x" >/dev/null ;;
      leader-hears-no-one) cl oneway "$x" "$f" >/dev/null; cl oneway "$x" "$o" >/dev/null ;;
      no-one-hears-leader) cl oneway "$f" "$x" >/dev/null; cl oneway "$o" "$x" >/dev/null ;;
      *) echo "unknown kind $kind" >&2; kill "$probe"; exit 1 ;;
    esac
    sleep "$cut"
    during=$(max_term "${others[@]}")
    cl heal >/dev/null
    wait "$probe"
    sleep 1
    after=$(max_term 1 2 3)
    out=$(cat /tmp/partition-probe.$$); rm -f /tmp/partition-probe.$$
    gap=$(sed -n 's/.*longest_gap_ms \([0-9]*\).*/\1/p' <<<"$out")
    gaps+=("$gap")
    echo "$kind round $r (n$x cut off ${cut}s): $out; majority term $before -> $during, after healing $after"
    sleep 2
  done
  sorted=($(printf '%s\n' "${gaps[@]}" | sort -n))
  echo "$kind: median ${sorted[$(( (${#sorted[@]} - 1) / 2 ))]} ms, max ${sorted[-1]} ms (gaps: ${gaps[*]})"
done
