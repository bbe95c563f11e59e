#!/bin/sh
# Entry point of the RaftStore image: in a StatefulSet pod NAME-K (raftstore-0, raftstore-1, ...) this node is
# n(K+1), its keystore /etc/raftstore/tls/n(K+1).p12, and its HTTPS endpoint, Redis-protocol endpoint and JGroups
# bind address the pod's address. Whatever the environment already sets wins, so the same image runs on plain hosts
# too.
set -eu
ordinal="${HOSTNAME##*-}"
case "$ordinal" in
  ''|*[!0-9]*) [ -n "${RAFTSTORE_NODE_ID:-}" ] || { echo "raftstore: set RAFTSTORE_NODE_ID (host name '$HOSTNAME' has no StatefulSet ordinal)" >&2; exit 1; } ;;
  *) : "${RAFTSTORE_NODE_ID:=n$((ordinal + 1))}" ;;
esac
: "${RAFTSTORE_TLS_KEYSTORE:=/etc/raftstore/tls/${RAFTSTORE_NODE_ID}.p12}"
: "${RAFTSTORE_HTTP_HOST:=${POD_IP:-$(hostname -i | cut -d' ' -f1)}}"
# JGroups binds to the pod's IP, not to its name in RAFTSTORE_MEMBERS: the pod's own DNS record may not exist yet
# when the server starts, and binding must not wait for it (the peers' names are looked up again until they resolve).
: "${RAFTSTORE_BIND_ADDRESS:=$RAFTSTORE_HTTP_HOST}"
# With DNS discovery (RAFTSTORE_DISCOVERY=dns) every round asks the cluster's DNS server itself, not the JVM's
# cache of answers (30 s), so that a pod rescheduled with a new IP is found at the next round.
if [ "${RAFTSTORE_DISCOVERY:-static}" = dns ] && [ -z "${RAFTSTORE_DISCOVERY_DNS_SERVER:-}" ]; then
  RAFTSTORE_DISCOVERY_DNS_SERVER="$(awk '$1 == "nameserver" {print $2; exit}' /etc/resolv.conf)"
  export RAFTSTORE_DISCOVERY_DNS_SERVER
fi
# The Redis protocol on the same address (the node's default too, spelt out so that the pod's environment shows
# it); serving it there needs RAFTSTORE_RESP_PLAIN_ALLOWED=true, which the manifest decides (raftstore.yaml).
: "${RAFTSTORE_RESP_HOST:=$RAFTSTORE_HTTP_HOST}"
export RAFTSTORE_NODE_ID RAFTSTORE_TLS_KEYSTORE RAFTSTORE_HTTP_HOST RAFTSTORE_BIND_ADDRESS RAFTSTORE_RESP_HOST
exec /opt/ol/wlp/bin/server run raftstore
