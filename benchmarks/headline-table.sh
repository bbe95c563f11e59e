#!/usr/bin/env bash
# Turns headline.sh's results (one JSON object per run) into the Markdown of docs/benchmarks.md's opening:
# the issue 18 targets with their ratios, then every figure.
# Usage: benchmarks/headline-table.sh [RESULTS]   (default benchmarks/target/headline/results.jsonl)
# CPU_BEFORE: CPU-ms per 1000 REST writes of the build the targets start from (default 1388.3: cpu-per-write.sh,
# production JVM, 2026-12-02 build 7012b63), compared with this run's Java-harness REST writes at 64 clients.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results=${1:-$ROOT/benchmarks/target/headline/results.jsonl}
[[ -s $results ]] || { echo "no results in $results: run benchmarks/headline.sh first" >&2; exit 1; }

jq -rs --argjson cpu_before "${CPU_BEFORE:-1388.3}" '
  # A figure: its record, or the mean of its rounds where the same run was repeated (the local API'"'"'s).
  def mean(k): map(.[k]) | if any(. == null) then null else add / length end;
  def f(sys; api; op; c): map(select(.system == sys and .api == api and .op == op and .clients == c))
    | if length < 2 then first // {} else first + {ops_per_s: mean("ops_per_s"), p50_ms: mean("p50_ms"),
        p99_ms: mean("p99_ms"), bytes_per_op: mean("bytes_per_op")} end;
  def commas: if length > 3 then (.[:-3] | commas) + "," + .[-3:] else . end;
  def n: if . == null then "–" elif . >= 100 then (round | tostring | commas) else (. * 100 | round / 100 | tostring) end;
  def ratio(a; b): if a == null or b == null or b == 0 then null else a / b end;
  def r: if . == null then "–" else (. * 100 | round / 100 | tostring) + "×" end;
  # A target row: the RaftStore figure, the peer or baseline figure, their ratio and whether it meets the goal.
  def target(what; mine; peer; goal; ok):
    ratio(mine; peer) as $x
    | "| \(what) | \(mine | n) | \(peer | n) | \($x | r) | \(goal) | \(if $x == null then "–" elif ($x | ok) then "**met**" else "**not met**" end) |";
  def atLeast(what; mine; peer; $t): target(what; mine; peer; "≥ \($t)×"; . >= $t);
  def atMost(what; mine; peer; $t): target(what; mine; peer; "≤ \($t)×"; . <= $t);
  . as $all
  | (map(select(.system == "machine")) | first) as $base
  | f("raftstore"; "rest"; "put"; 64) as $rw64
  | f("etcd"; "json"; "put"; 64) as $ej64
  | f("etcd"; "grpc"; "put"; 64) as $eg64
  | f("raftstore"; "rest"; "get linearizable"; 64) as $rl64
  | f("raftstore"; "rest"; "get stale"; 64) as $rs64
  | f("raftstore"; "rest"; "get lease"; 64) as $rle64
  | f("raftstore"; "local"; "put"; 64) as $lw64
  | f("jgroups-raft"; "local"; "put"; 64) as $jw64
  | f("raftstore"; "local"; "put"; 16) as $lw16
  | f("jgroups-raft"; "local"; "put"; 16) as $jw16
  | f("raftstore"; "rest-java"; "put"; 64) as $rj64
  | f("raftstore"; "rest"; "put"; 1) as $rw1
  | f("raftstore"; "jca-leader"; "put"; 64) as $jlw64
  | f("raftstore"; "jca-leader"; "get"; 64) as $jll64
  | f("raftstore"; "jca-leader"; "get-stale"; 64) as $jls64
  | f("raftstore"; "jca-leader"; "get-lease"; 64) as $jlle64
  | f("raftstore"; "jca-follower"; "put"; 64) as $jfw64
  | f("raftstore"; "jca-follower"; "get"; 64) as $jfl64
  | ((($base.fsync_us // 0) + ($base.rtt_us // 0)) / 1000) as $floor
  | "| target | RaftStore | peer or baseline | ratio | target | |",
    "|---|---|---|---|---|---|",
    atLeast("REST writes/s, 64 clients, vs etcd JSON gateway"; $rw64.ops_per_s; $ej64.ops_per_s; 2),
    atLeast("REST writes/s, 64 clients, vs etcd gRPC"; $rw64.ops_per_s; $eg64.ops_per_s; 1),
    atLeast("REST linearizable reads/s vs REST writes/s, 64 clients"; $rl64.ops_per_s; $rw64.ops_per_s; 3),
    atLeast("REST stale reads/s vs REST writes/s, 64 clients"; $rs64.ops_per_s; $rw64.ops_per_s; 10),
    atLeast("REST lease reads/s vs REST writes/s, 64 clients (raftstore.lease.reads)"; $rle64.ops_per_s;
        $rw64.ops_per_s; 3),
    atLeast("JCA (an application on the leader): linearizable reads/s vs writes/s, 64 clients"; $jll64.ops_per_s;
        $jlw64.ops_per_s; 3),
    atLeast("JCA (an application on a follower): linearizable reads/s vs writes/s, 64 clients"; $jfl64.ops_per_s;
        $jfw64.ops_per_s; 3),
    atLeast("JCA (an application on the leader): stale reads/s vs writes/s, 64 clients"; $jls64.ops_per_s;
        $jlw64.ops_per_s; 10),
    atLeast("JCA (an application on the leader): lease reads/s vs writes/s, 64 clients (raftstore.lease.reads)";
        $jlle64.ops_per_s; $jlw64.ops_per_s; 3),
    atLeast("local API writes/s, 64 clients, vs jgroups-raft"; $lw64.ops_per_s; $jw64.ops_per_s; 2),
    atMost("local API p99 ms, 16 clients, vs jgroups-raft"; $lw16.p99_ms; $jw16.p99_ms; 0.5),
    atMost("CPU-ms per 1000 REST writes (3 nodes, Java harness, 64 clients) vs the starting build";
        $rj64.cpu_ms_per_1000; $cpu_before; 0.5),
    atMost("1 client: REST write p50 ms vs fsync + loopback round trip"; $rw1.p50_ms; $floor; 1.5),
    "",
    "Baselines: durable 100-byte append \($base.fsync_us // "–") µs, loopback TCP round trip \($base.rtt_us // "–") µs (medians).",
    "Garbage per write, local API at 64 clients (every thread of the harness JVM: three members and the clients): RaftStore \($lw64.bytes_per_op | n) bytes, jgroups-raft \($jw64.bytes_per_op | n).",
    "",
    "| system | API | operation | clients | ops/s | p50 ms | p99 ms | errors | server CPU-ms per 1000 ops | load |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ($all[] | select(.system != "machine")
      | "| \(.system) | \(.api)\(if .round then ", round \(.round)" else "" end) | \(.op) | \(.clients) | \(.ops_per_s | n) | \(.p50_ms | n) | \(.p99_ms | n) | \(.errors) | \(.cpu_ms_per_1000 | n) | \(.load) |")
' "$results"
