#!/usr/bin/env bash
# Checks the shipped monitoring files with Prometheus' own tool (promtool, Debian package prometheus):
# the example scrape config and alert rules load, the alert rules fire on the series a node exports and stay
# quiet otherwise (prometheus-alerts-test.yml), and every query of the Grafana dashboard is valid PromQL.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../../../monitoring" && pwd)"
command -v promtool >/dev/null || { echo "monitoring-test: promtool missing: apt-get install prometheus (./run-tests does)" >&2; exit 1; }
command -v jq >/dev/null || { echo "monitoring-test: jq missing: apt-get install jq" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

promtool check config "$dir/prometheus.yml"
(cd "$dir" && promtool test rules prometheus-alerts-test.yml)

# The dashboard's queries as recording rules, so promtool parses each one ($__rate_interval is Grafana's).
jq -r '"groups:\n  - name: dashboard\n    rules:",
       (.panels | to_entries[] | .key as $p | .value.targets[] |
        "      - record: dashboard_panel_\($p)_\(.refId)\n        expr: \(.expr | gsub("\\$__rate_interval"; "5m") | tojson)")' \
  "$dir/grafana-dashboard.json" > "$work/dashboard-rules.yml"
promtool check rules "$work/dashboard-rules.yml"
echo "monitoring-test: passed"
