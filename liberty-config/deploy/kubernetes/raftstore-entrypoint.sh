#!/bin/sh
# Entry point of the RaftStore image: in a StatefulSet pod NAME-K (raftstore-0, raftstore-1, ...) this node is
# n(K+1), its keystore /etc/raftstore/tls/n(K+1).p12, and its HTTPS endpoint the pod's address. Whatever the
# environment already sets wins, so the same image runs on plain hosts too.
set -eu
ordinal="${HOSTNAME##*-}"
case "$ordinal" in
  ''|*[!0-9]*) [ -n "${RAFTSTORE_NODE_ID:-}" ] || { echo "raftstore: set RAFTSTORE_NODE_ID (host name '$HOSTNAME' has no StatefulSet ordinal)" >&2; exit 1; } ;;
  *) : "${RAFTSTORE_NODE_ID:=n$((ordinal + 1))}" ;;
esac
: "${RAFTSTORE_TLS_KEYSTORE:=/etc/raftstore/tls/${RAFTSTORE_NODE_ID}.p12}"
: "${RAFTSTORE_HTTP_HOST:=${POD_IP:-$(hostname -i | cut -d' ' -f1)}}"
export RAFTSTORE_NODE_ID RAFTSTORE_TLS_KEYSTORE RAFTSTORE_HTTP_HOST
exec /opt/ol/wlp/bin/server run raftstore
