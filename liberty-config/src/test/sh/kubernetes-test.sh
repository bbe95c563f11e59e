#!/usr/bin/env bash
# Checks the Kubernetes manifests (deploy/kubernetes/*.yaml) against the Kubernetes API's schemas, offline:
# deploy/kubernetes/validate/validate.mjs with kubernetes-models from npm (pinned by its package-lock.json,
# installed into target/ by `npm ci`). Then shows the check bites: a copy of the StatefulSet with a wrong type
# (replicas: three) must be refused. Node.js and npm: Debian packages nodejs and npm (./run-tests installs them).
set -euo pipefail
base="$(cd "$(dirname "$0")/../../.." && pwd)"
manifests="$base/deploy/kubernetes"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "kubernetes-test: $tool missing: apt-get install nodejs npm (./run-tests does)" >&2; exit 1; }
done
work="$base/target/kubernetes-validate"
mkdir -p "$work"
cp "$manifests/validate/package.json" "$manifests/validate/package-lock.json" "$manifests/validate/validate.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >npm.log 2>&1) \
  || { echo "kubernetes-test: npm ci failed; see $work/npm.log" >&2; exit 1; }

node "$work/validate.mjs" "$manifests"/*.yaml

sed 's/^  replicas: 3$/  replicas: three/' "$manifests/raftstore.yaml" >"$work/broken.yaml"
grep -q '^  replicas: three$' "$work/broken.yaml" || { echo "kubernetes-test: could not make the broken copy" >&2; exit 1; }
if out="$(node "$work/validate.mjs" "$work/broken.yaml")"; then
  echo "kubernetes-test: FAILED: a StatefulSet with replicas: three was accepted" >&2
  exit 1
fi
grep -q 'spec/replicas must be integer' <<<"$out" || { echo "kubernetes-test: FAILED: unexpected refusal: $out" >&2; exit 1; }
echo "kubernetes-test: passed (the broken copy was refused: replicas must be integer)"
