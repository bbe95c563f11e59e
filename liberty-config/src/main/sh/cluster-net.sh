# shellcheck shell=bash
# The real-network mode of ./cluster (sourced by it): node I runs in its own network namespace, joined to the
# others by a veth pair on one bridge, at 198.18.<octet>.I (RFC 2544's benchmark range, never routed off this
# machine); the host reaches every node at the bridge's address .254. Faults are nftables rules and netem
# queues INSIDE a node's namespace, so they act on exactly that node's packets and `heal` removes them all:
#   isolate I   node I drops every packet to and from the other nodes (clients on the host still reach it)
#   cut I J     node I drops every packet to and from node J
#   oneway I J  node I drops what arrives from J; J still hears I
#   slow I MS   node I's outgoing packets wait MS ms (jitter MS/4, normal distribution, kept in order);
#               netem where the kernel has it, else delay-line.py (0 removes the delay)
#   loss I PCT  PCT % of node I's packets are lost in each direction (an nftables random-number rule)
# Needs root, iproute2 and nftables; net_check installs the packages when apt-get can, and says in one line
# what is missing otherwise. Delay needs the kernel's netem where it has one, and the delay line otherwise
# (see net_slow).

NET_PREFIX="${RAFTSTORE_NETNS_PREFIX:-rs}"
NET_OCTET="${RAFTSTORE_NETNS_OCTET:-0}"
NET_BRIDGE="${NET_PREFIX}-br"
NET_TABLE=raftstore_fault

net_host() { echo "198.18.$NET_OCTET.$1"; }
net_ns() { echo "$NET_PREFIX-n$1"; }
net_veth() { echo "$NET_PREFIX-v$1"; } # the host's end; the node's end is eth0 in its namespace

net_check() {
  (( $(id -u) == 0 )) || die "--netns needs root (network namespaces, nftables): run as root"
  [[ $NET_OCTET =~ ^[0-9]+$ ]] && (( NET_OCTET <= 255 )) || die "RAFTSTORE_NETNS_OCTET must be 0..255"
  if ! command -v ip >/dev/null || ! command -v tc >/dev/null || ! command -v nft >/dev/null \
    || ! command -v ethtool >/dev/null; then
    echo "cluster: installing iproute2, nftables and ethtool (Debian packages) for --netns"
    { apt-get update -qq && apt-get install -y -qq iproute2 nftables ethtool; } >"$STATE/apt.log" 2>&1 \
      || die "could not install iproute2, nftables and ethtool; see $STATE/apt.log"
  fi
  local probe="$NET_PREFIX-probe"
  ip netns add "$probe" 2>/dev/null || die "cannot create network namespaces here (ip netns add failed; a container without CAP_SYS_ADMIN?)"
  local why=""
  ip -n "$probe" link set lo up 2>/dev/null || why="cannot bring up loopback in a namespace"
  [[ -n $why ]] || ip netns exec "$probe" nft add table inet "$NET_TABLE" 2>/dev/null || why="nftables does not work in a namespace"
  ip netns del "$probe" 2>/dev/null || true
  [[ -z $why ]] || die "--netns cannot work here: $why"
}

net_bridge_up() {
  ip link show "$NET_BRIDGE" >/dev/null 2>&1 && return 0
  ip link add "$NET_BRIDGE" type bridge
  ip addr add "$(net_host 254)/24" dev "$NET_BRIDGE"
  ip link set "$NET_BRIDGE" up
  net_full_checksums "$NET_BRIDGE"
}

# Makes node I's namespace, link and address when missing; a node's faults survive its restarts.
net_node_up() {
  local i=$1 ns; ns="$(net_ns "$1")"
  net_bridge_up
  ip netns list | awk '{print $1}' | grep -qx "$ns" && return 0
  ip netns add "$ns"
  ip link add "$(net_veth "$i")" type veth peer name eth0 netns "$ns"
  ip link set "$(net_veth "$i")" master "$NET_BRIDGE" up
  ip -n "$ns" addr add "$(net_host "$i")/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
  net_full_checksums eth0 "$ns"
  ip netns exec "$ns" nft -f - <<NFT
table inet $NET_TABLE {
  chain input { type filter hook input priority 0; policy accept; }
  chain output { type filter hook output priority 0; policy accept; }
}
table inet ${NET_TABLE}_loss {
  chain input { type filter hook input priority 0; policy accept; }
  chain output { type filter hook output priority 0; policy accept; }
}
NFT
}

# Frames leave with their checksums computed, not left to a (virtual) NIC: the delay line copies frames
# through packet sockets, and a frame copied with its checksum still pending arrives as corrupt.
net_full_checksums() {
  local in_ns=()
  [[ -z ${2:-} ]] || in_ns=(ip netns exec "$2")
  "${in_ns[@]}" ethtool -K "$1" tx off >/dev/null 2>&1 || echo "cluster: could not turn off checksum offload on $1" >&2
}

net_down() {
  local n=$1 i
  for ((i = 1; i <= n; i++)); do
    net_unslow "$i"
    ip netns del "$(net_ns "$i")" 2>/dev/null || true # takes its veth pair with it
  done
  ip link del "$NET_BRIDGE" 2>/dev/null || true
}

net_rule() { ip netns exec "$(net_ns "$1")" nft add rule inet "$NET_TABLE" "$2" "$3"; }

net_oneway() { net_rule "$1" input "ip saddr $(net_host "$2") drop"; }

net_cut() {
  net_rule "$1" input "ip saddr $(net_host "$2") drop"
  net_rule "$1" output "ip daddr $(net_host "$2") drop"
}

net_isolate() {
  local i=$1 n=$2 j
  for ((j = 1; j <= n; j++)); do
    (( j == i )) || net_cut "$i" "$j"
  done
}

net_loss() {
  local ns; ns="$(net_ns "$1")"
  ip netns exec "$ns" nft flush table inet "${NET_TABLE}_loss"
  if (( $2 > 0 )); then
    ip netns exec "$ns" nft add rule inet "${NET_TABLE}_loss" input iifname eth0 numgen random mod 100 lt "$2" drop
    ip netns exec "$ns" nft add rule inet "${NET_TABLE}_loss" output oifname eth0 numgen random mod 100 lt "$2" drop
  fi
}

net_heal() {
  local n=$1 i
  for ((i = 1; i <= n; i++)); do
    ip netns exec "$(net_ns "$i")" nft flush table inet "$NET_TABLE" 2>/dev/null || true
    ip netns exec "$(net_ns "$i")" nft flush table inet "${NET_TABLE}_loss" 2>/dev/null || true
    net_unslow "$i"
  done
}

# Delay: netem on the node's interface where the kernel has it; otherwise (as on this project's machines)
# a delay line (delay-line.py) between the node's veth, taken off the bridge, and a second veth pair whose
# other end takes its place on the bridge. Either way node I's outgoing packets wait MS ms (jitter MS/4).
net_has_netem() {
  local ns; ns="$(net_ns "$1")"
  tc -n "$ns" qdisc add dev lo root netem delay 0ms 2>/dev/null || return 1
  tc -n "$ns" qdisc del dev lo root 2>/dev/null || true
}

net_unslow() {
  local i=$1 dir; dir="$(node_dir "$1")"
  tc -n "$(net_ns "$i")" qdisc del dev eth0 root 2>/dev/null || true
  if [[ -f $dir/delay-line.pid ]]; then
    kill "$(cat "$dir/delay-line.pid")" 2>/dev/null || true
    rm -f "$dir/delay-line.pid"
  fi
  if ip link show "$NET_PREFIX-d$i" >/dev/null 2>&1; then
    ip link del "$NET_PREFIX-d$i" 2>/dev/null || true # and its peer, the bridge's end
    ip link set "$(net_veth "$i")" promisc off master "$NET_BRIDGE" 2>/dev/null || true
  fi
}

net_slow() {
  local i=$1 ms=$2 dir; dir="$(node_dir "$1")"
  net_unslow "$i"
  (( ms > 0 )) || return 0
  if net_has_netem "$i"; then
    tc -n "$(net_ns "$i")" qdisc add dev eth0 root netem delay "${ms}ms" "$(( ms / 4 ))ms" distribution normal
    return 0
  fi
  command -v python3 >/dev/null || die "slow needs python3 for its delay line (this kernel has no netem)"
  local j
  for ((j = 1; j <= $(total); j++)); do net_full_checksums eth0 "$(net_ns "$j")"; done
  net_full_checksums "$NET_BRIDGE"
  local d="$NET_PREFIX-d$i" e="$NET_PREFIX-e$i"
  ip link add "$d" type veth peer name "$e"
  ip link set "$e" master "$NET_BRIDGE" up
  ip link set "$d" up
  ip link set "$(net_veth "$i")" nomaster promisc on
  mkdir -p "$dir"
  nohup python3 "$ROOT/liberty-config/src/main/sh/delay-line.py" "$(net_veth "$i")" "$d" "$ms" \
    >"$dir/delay-line.log" 2>&1 </dev/null &
  echo $! >"$dir/delay-line.pid"
  sleep 0.2
  kill -0 "$(cat "$dir/delay-line.pid")" 2>/dev/null || die "the delay line for n$i did not start; see $dir/delay-line.log"
}
