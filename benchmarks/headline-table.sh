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
  def f(sys; api; op; c): (map(select(.system == sys and .api == api and .op == op and .clients == c)) | first) // {};
  def commas: if length > 3 then (.[:-3] | commas) + "," + .[-3:] else . end;
  def n: if . == null then "–" elif . >= 100 then (round | tostring | commas) else (. * 100 | round / 100 | tostring) end;
  def ratio(a; b): if a == null or b == null or b == 0 then null else a / b end;
  def r: if . == null then "–" else (. * 100 | round / 100 | tostring) + "×" end;
  def row(what; mine; peer; rat; target; ok):
    "| \(what) | \(mine) | \(peer) | \(rat) | \(target) | \(if ok == null then "–" elif ok then "**met**" else "**not met**" end) |";
  . as $all
  | (map(select(.system == "machine")) | first) as $base
  | f("raftstore"; "rest"; "put"; 64) as $rw64
  | f("etcd"; "json"; "put"; 64) as $ej64
  | f("etcd"; "grpc"; "put"; 64) as $eg64
  | f("raftstore"; "rest"; "get linearizable"; 64) as $rl64
  | f("raftstore"; "rest"; "get stale"; 64) as $rs64
  | f("raftstore"; "local"; "put"; 64) as $lw64
  | f("jgroups-raft"; "local"; "put"; 64) as $jw64
  | f("raftstore"; "local"; "put"; 16) as $lw16
  | f("jgroups-raft"; "local"; "put"; 16) as $jw16
  | f("raftstore"; "rest-java"; "put"; 64) as $rj64
  | f("raftstore"; "rest"; "put"; 1) as $rw1
  | f("raftstore"; "jca-leader"; "put"; 64) as $jlw64
  | f("raftstore"; "jca-leader"; "get"; 64) as $jll64
  | f("raftstore"; "jca-leader"; "get-stale"; 64) as $jls64
  | f("raftstore"; "jca-follower"; "put"; 64) as $jfw64
  | f("raftstore"; "jca-follower"; "get"; 64) as $jfl64
  | ((($base.fsync_us // 0) + ($base.rtt_us // 0)) / 1000) as $floor
  | "| target | RaftStore | peer or baseline | ratio | target | |",
    "|---|---|---|---|---|---|",
    row("REST writes/s, 64 clients, vs etcd JSON gateway"; $rw64.ops_per_s | n; $ej64.ops_per_s | n;
        ratio($rw64.ops_per_s; $ej64.ops_per_s) | r; "≥ 2×"; ratio($rw64.ops_per_s; $ej64.ops_per_s) as $x | if $x == null then null else $x >= 2 end),
    row("REST writes/s, 64 clients, vs etcd gRPC"; $rw64.ops_per_s | n; $eg64.ops_per_s | n;
        ratio($rw64.ops_per_s; $eg64.ops_per_s) | r; "≥ 1×"; ratio($rw64.ops_per_s; $eg64.ops_per_s) as $x | if $x == null then null else $x >= 1 end),
    row("REST linearizable reads/s vs REST writes/s, 64 clients"; $rl64.ops_per_s | n; $rw64.ops_per_s | n;
        ratio($rl64.ops_per_s; $rw64.ops_per_s) | r; "≥ 3×"; ratio($rl64.ops_per_s; $rw64.ops_per_s) as $x | if $x == null then null else $x >= 3 end),
    row("REST stale reads/s vs REST writes/s, 64 clients"; $rs64.ops_per_s | n; $rw64.ops_per_s | n;
        ratio($rs64.ops_per_s; $rw64.ops_per_s) | r; "≥ 10×"; ratio($rs64.ops_per_s; $rw64.ops_per_s) as $x | if $x == null then null else $x >= 10 end),
    row("JCA (an application on the leader): linearizable reads/s vs writes/s, 64 clients"; $jll64.ops_per_s | n;
        $jlw64.ops_per_s | n; ratio($jll64.ops_per_s; $jlw64.ops_per_s) | r; "≥ 3×";
        ratio($jll64.ops_per_s; $jlw64.ops_per_s) as $x | if $x == null then null else $x >= 3 end),
    row("JCA (an application on a follower): linearizable reads/s vs writes/s, 64 clients"; $jfl64.ops_per_s | n;
        $jfw64.ops_per_s | n; ratio($jfl64.ops_per_s; $jfw64.ops_per_s) | r; "≥ 3×";
        ratio($jfl64.ops_per_s; $jfw64.ops_per_s) as $x | if $x == null then null else $x >= 3 end),
    row("JCA (an application on the leader): stale reads/s vs writes/s, 64 clients"; $jls64.ops_per_s | n;
        $jlw64.ops_per_s | n; ratio($jls64.ops_per_s; $jlw64.ops_per_s) | r; "≥ 10×";
        ratio($jls64.ops_per_s; $jlw64.ops_per_s) as $x | if $x == null then null else $x >= 10 end),
    row("local API writes/s, 64 clients, vs jgroups-raft"; $lw64.ops_per_s | n; $jw64.ops_per_s | n;
        ratio($lw64.ops_per_s; $jw64.ops_per_s) | r; "≥ 2×"; ratio($lw64.ops_per_s; $jw64.ops_per_s) as $x | if $x == null then null else $x >= 2 end),
    row("local API p99 ms, 16 clients, vs jgroups-raft"; $lw16.p99_ms | n; $jw16.p99_ms | n;
        ratio($lw16.p99_ms; $jw16.p99_ms) | r; "≤ 0.5×"; ratio($lw16.p99_ms; $jw16.p99_ms) as $x | if $x == null then null else $x <= 0.5 end),
    row("CPU-ms per 1000 REST writes (3 nodes, Java harness, 64 clients) vs the starting build"; $rj64.cpu_ms_per_1000 | n;
        $cpu_before | n; ratio($rj64.cpu_ms_per_1000; $cpu_before) | r; "≤ 0.5×";
        ratio($rj64.cpu_ms_per_1000; $cpu_before) as $x | if $x == null then null else $x <= 0.5 end),
    row("1 client: REST write p50 ms vs fsync + loopback round trip"; $rw1.p50_ms | n; $floor | n;
        ratio($rw1.p50_ms; $floor) | r; "≤ 1.5×"; ratio($rw1.p50_ms; $floor) as $x | if $x == null then null else $x <= 1.5 end),
    "",
    "Baselines: durable 100-byte append \($base.fsync_us // "–") µs, loopback TCP round trip \($base.rtt_us // "–") µs (medians).",
    "",
    "| system | API | operation | clients | ops/s | p50 ms | p99 ms | errors | server CPU-ms per 1000 ops | load |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ($all[] | select(.system != "machine")
      | "| \(.system) | \(.api) | \(.op) | \(.clients) | \(.ops_per_s | n) | \(.p50_ms | n) | \(.p99_ms | n) | \(.errors) | \(.cpu_ms_per_1000 | n) | \(.load) |")
' "$results"
