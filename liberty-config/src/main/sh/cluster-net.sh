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
# With --dns the nodes are named nI.raftstore.test in RAFTSTORE_MEMBERS: a dnsmasq in a namespace of its own
# (198.18.<octet>.253) answers for the lab's names from a hosts file, every node's namespace resolves through
# it (/etc/netns/<ns>/resolv.conf, which `ip netns exec` mounts over /etc/resolv.conf), and peers.raftstore.test
# has every shown node's address (a headless Service's records). `dns hide I`/`show I` rewrite the file and
# SIGHUP dnsmasq; `move I` gives a stopped node the other of its two addresses, 198.18.<octet>.I and .(100+I),
# and its records the new one (with --stale-dns they keep the old one until `dns show I`).
# Needs root, iproute2 and nftables; net_check installs the packages when apt-get can, and says in one line
# what is missing otherwise. Delay needs the kernel's netem where it has one, and the delay line otherwise
# (see net_slow).

NET_PREFIX="${RAFTSTORE_NETNS_PREFIX:-rs}"
NET_OCTET="${RAFTSTORE_NETNS_OCTET:-0}"
# A --netns cluster keeps the prefix and subnet it was started with (net_record), so every later command acts
# on its namespaces whatever the environment says: a wipe from a shell without the variables, or by a test
# class whose cluster shares the state folder, would otherwise leave them behind.
if [[ -s $STATE/netns ]]; then read -r NET_PREFIX NET_OCTET <"$STATE/netns"; fi
NET_BRIDGE="${NET_PREFIX}-br"
NET_TABLE=raftstore_fault

net_record() { echo "$NET_PREFIX $NET_OCTET" >"$STATE/netns"; }

net_host() { echo "198.18.$NET_OCTET.$1"; }
# Node I's address now: its own, or the one `move` gave it.
net_address() { local f; f="$(node_dir "$1")/address"; if [[ -f $f ]]; then cat "$f"; else net_host "$1"; fi; }
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

# Namespace NS on the bridge: a veth pair, VETH on the host's side and eth0 in NS, at ADDRESS (/24).
net_ns_make() {
  local ns=$1 veth=$2
  ip netns add "$ns"
  # A pair of this name may still be there: the kernel frees a namespace, and the veth pair it holds, only
  # once no process is left in it and then in the background, so a pair whose namespace lost its name first
  # (an interrupted teardown, a killed JVM still exiting) outlives the name for a while.
  ip link del "$veth" 2>/dev/null || true
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$NET_BRIDGE" up
  ip -n "$ns" addr add "$3/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up
}

# Deletes the pair before the namespace's name: deleting a link is done when `ip` returns, whereas
# `ip netns del` only removes the name and leaves the namespace (and the pair) to the kernel's clean-up.
net_ns_remove() {
  ip link del "$2" 2>/dev/null || true
  ip netns del "$1" 2>/dev/null || true
}

# Makes node I's namespace, link and address when missing; a node's faults survive its restarts.
net_node_up() {
  local i=$1 ns; ns="$(net_ns "$1")"
  net_bridge_up
  if dns_mode; then net_dns_up; net_dns_resolv "$ns"; fi
  ip netns list | awk '{print $1}' | grep -qx "$ns" && return 0
  net_ns_make "$ns" "$(net_veth "$i")" "$(net_address "$i")"
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
    net_ns_remove "$(net_ns "$i")" "$(net_veth "$i")"
    rm -rf "/etc/netns/$(net_ns "$i")"
  done
  net_dns_down
  ip link del "$NET_BRIDGE" 2>/dev/null || true
}

NET_DOMAIN=raftstore.test
net_dns_ns() { echo "$NET_PREFIX-dns"; }
net_dns_name() { echo "n$1.$NET_DOMAIN"; }
net_dns_peers() { echo "peers.$NET_DOMAIN"; }
net_dns_server() { net_host 253; }

net_dns_check() {
  command -v dnsmasq >/dev/null && return 0
  echo "cluster: installing dnsmasq-base (Debian package) for --dns"
  { apt-get update -qq && apt-get install -y -qq dnsmasq-base; } >"$STATE/apt-dns.log" 2>&1 \
    || die "could not install dnsmasq-base; see $STATE/apt-dns.log"
}

# The lab's records: every node not hidden, by its own name and under the peers name.
net_dns_hosts() {
  local i
  for ((i = 1; i <= $(total); i++)); do
    [[ -f $(node_dir "$i")/dns-hidden ]] || echo "$(net_dns_address "$i") $(net_dns_name "$i") $(net_dns_peers)"
  done
}

# The address node I's records give: its own, or the old one after `move I --stale-dns`.
net_dns_address() { local f; f="$(node_dir "$1")/dns-address"; if [[ -f $f ]]; then cat "$f"; else net_address "$1"; fi; }

net_dns_running() { [[ -f $STATE/dnsmasq.pid ]] && kill -0 "$(cat "$STATE/dnsmasq.pid")" 2>/dev/null; }

# dnsmasq in its own namespace on the bridge, answering only for the lab's domain (NXDOMAIN for a hidden name,
# nothing forwarded anywhere), from the hosts file alone, with TTL 0 so that no resolver keeps an old answer.
net_dns_up() {
  net_dns_running && return 0
  local ns; ns="$(net_dns_ns)"
  if ! ip netns list | awk '{print $1}' | grep -qx "$ns"; then
    net_ns_make "$ns" "$NET_PREFIX-vdns" "$(net_dns_server)"
  fi
  net_dns_hosts >"$STATE/dns-hosts"
  # -k: stays in the foreground, and `ip netns exec` execs it, so $! is dnsmasq's own PID.
  nohup ip netns exec "$ns" dnsmasq -k --conf-file=/dev/null --pid-file= --user=root --no-resolv --no-hosts \
    --addn-hosts="$STATE/dns-hosts" --local="/$NET_DOMAIN/" --listen-address="$(net_dns_server)" --bind-interfaces \
    --local-ttl=0 --log-queries --log-facility="$STATE/dnsmasq.log" >"$STATE/dnsmasq.out" 2>&1 </dev/null &
  echo $! >"$STATE/dnsmasq.pid"
  local deadline=$((SECONDS + 10))
  until ip netns exec "$ns" ss -lnu | grep -q "$(net_dns_server):53 "; do
    net_dns_running || die "dnsmasq did not start; see $STATE/dnsmasq.out"
    (( SECONDS < deadline )) || die "dnsmasq not listening on $(net_dns_server):53 after 10 s; see $STATE/dnsmasq.out"
    sleep 0.2
  done
}

# A node's namespace resolves through the lab's server: `ip netns exec` mounts this file over /etc/resolv.conf.
net_dns_resolv() {
  mkdir -p "/etc/netns/$1"
  printf 'nameserver %s\noptions timeout:1 attempts:2\n' "$(net_dns_server)" >"/etc/netns/$1/resolv.conf"
}

net_dns_reload() {
  net_dns_hosts >"$STATE/dns-hosts"
  if net_dns_running; then kill -HUP "$(cat "$STATE/dnsmasq.pid")"; fi
}

net_dns_down() {
  if [[ -f $STATE/dnsmasq.pid ]]; then
    local p; p="$(cat "$STATE/dnsmasq.pid")"
    if kill -0 "$p" 2>/dev/null; then
      kill -TERM "$p"
      local deadline=$((SECONDS + 10))
      while kill -0 "$p" 2>/dev/null && (( SECONDS < deadline )); do sleep 0.1; done
      kill -9 "$p" 2>/dev/null || true
    fi
    rm -f "$STATE/dnsmasq.pid"
  fi
  net_ns_remove "$(net_dns_ns)" "$NET_PREFIX-vdns"
}

# A stopped node takes its other address (198.18.<octet>.I <-> .(100+I)), in its namespace if that exists.
net_move() {
  local i=$1 ns new; ns="$(net_ns "$1")"
  if [[ $(net_address "$i") == "$(net_host "$i")" ]]; then new="$(net_host $((100 + i)))"; else new="$(net_host "$i")"; fi
  echo "$new" >"$(node_dir "$i")/address"
  if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
    ip -n "$ns" addr flush dev eth0
    ip -n "$ns" addr add "$new/24" dev eth0
  fi
}

net_rule() { ip netns exec "$(net_ns "$1")" nft add rule inet "$NET_TABLE" "$2" "$3"; }

net_oneway() { net_rule "$1" input "ip saddr $(net_address "$2") drop"; }

net_cut() {
  net_rule "$1" input "ip saddr $(net_address "$2") drop"
  net_rule "$1" output "ip daddr $(net_address "$2") drop"
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
