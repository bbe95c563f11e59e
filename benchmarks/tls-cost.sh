#!/usr/bin/env bash
# What protection costs (issue 14): closed-loop REST writes to the leader (RestLoadBenchmark) on one build,
# alternating ROUNDS times between
#   sealed/http   node-to-node protection on (the default), the client on the node's plain HTTP (loopback)
#   sealed/https  the same cluster, the client over HTTPS (trusting the cluster's CA)
#   plain/http    node-to-node protection off (RAFTSTORE_TRANSPORT_SECURITY=off), plain HTTP
# The local cluster is wiped between configurations (the setting is kept for a cluster's life) and at the end.
# The cluster and the client share the machine: their own load is part of every figure.
# Run it on a quiet machine. Usage: benchmarks/tls-cost.sh [ROUNDS] [CLIENTS] [WARMUP_S] [MEASURE_S]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=${1:-2}
clients=${2:-1,16,64}
warmup=${3:-3}
measure=${4:-10}
STATE="${RAFTSTORE_CLUSTER_DIR:-$ROOT/.cluster}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"
[[ -f $JAR ]] || { echo "no $JAR: mvn -pl benchmarks -am package -DskipTests first" >&2; exit 1; }
# shellcheck source=benchmarks/cluster-common.sh
source "$ROOT/benchmarks/cluster-common.sh"
work="$(mktemp -d)"
trap 'cl wipe >/dev/null 2>&1 || true; rm -rf "$work"' EXIT


load() { # label url [java options...]
  local label=$1 url=$2; shift 2
  echo "== $label $url, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  (set -a; source "$STATE/credentials"; set +a
   java "$@" -cp "$JAR" io.raftstore.bench.RestLoadBenchmark "$url" "$clients" "$warmup" "$measure")
}

start() { # transport security: on|off
  cl wipe >/dev/null
  RAFTSTORE_TRANSPORT_SECURITY=$1 cl start --no-samples >/dev/null
}

echo "tls-cost: $rounds rounds, clients $clients, ${warmup}s warm-up + ${measure}s, build $(git -C "$ROOT" rev-parse --short HEAD), $(date -u +%FT%TZ)"
for r in $(seq 1 "$rounds"); do
  start on
  leader="$(await_leader)"
  load "round $r sealed/http" "$(cl url "$leader")"
  # The cluster's CA, as this start made it (a wipe makes a new one: a trust store kept from the first round
  # failed every HTTPS request of the second).
  rm -f "$work/trust.p12"
  keytool -importcert -noprompt -alias ca -file "$STATE/pki/ca.pem" -keystore "$work/trust.p12" \
    -storetype PKCS12 -storepass benchmark >/dev/null 2>&1
  load "round $r sealed/https" "$(cl url "$leader" --https)" \
    -Djavax.net.ssl.trustStore="$work/trust.p12" -Djavax.net.ssl.trustStorePassword=benchmark
  start off
  leader="$(await_leader)"
  load "round $r plain/http" "$(cl url "$leader")"
done
echo "done $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
