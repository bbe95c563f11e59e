# shellcheck shell=bash
# `./cluster restore I FILE [--rollback]`: node I's data from a backup zip (POST /api/cluster/backup or the
# console's download), without Java. Nothing is touched before every check passed: the zip opens, every file
# matches SHA256SUMS and nothing unlisted is in it, the backup is of node I and of THIS cluster (its
# cluster-identity.properties names this cluster's name and the SHA-256 of this cluster's CA certificate).
# Then node I is stopped (gracefully: a leader hands over), its data directory moved aside (kept), the
# backup's files put in its place and the node started. By default the restored directory carries the marker
# `restored-from-backup`, so the node comes back as a new incarnation, like a wiped node (docs/storage.md,
# "Repairing one node"): it needs the running cluster's leader to catch it up. `--rollback` is for restoring
# EVERY node of a stopped cluster from backups of one moment: no marker, the node stays stopped, and
# `./cluster start N` follows once all are restored. docs/operations.md has the same procedure for real servers.
# Sourced by ./cluster, whose helpers it uses.

RESTORE_MARKER=restored-from-backup

# A value of a Java properties file (as Properties.store writes it: `\` escapes `:`, `=` and the like).
prop() { sed -n "s/^$2=//p" "$1" | tail -n 1 | sed 's/\\\(.\)/\1/g'; }

# The files of a backup directory: the node's manifest's names, unescaped.
manifest_files() { grep -v '^#' "$1/backup.properties" | sed 's/\\\(.\)/\1/g; s/=[^=]*$//'; }

# SHA-256 of this cluster's CA certificate (DER), as the node lists it in the backup's identity.
cluster_ca_fingerprint() {
  local pem; pem="$(pki_dir)/ca.pem"
  [[ -f $pem ]] || die "this cluster has no CA certificate ($pem); './cluster start' makes one"
  openssl x509 -in "$pem" -outform DER | sha256sum | cut -c1-64
}

# Dies, saying why, unless the unpacked backup in DIR is intact and of node I of this cluster.
restore_check() {
  local dir=$1 i=$2 f
  for f in SHA256SUMS backup.properties cluster-identity.properties raftstore.mv.db; do
    [[ -f $dir/$f ]] || die "the backup has no $f: not a complete backup from POST /api/cluster/backup or the console; nothing was changed"
  done
  local bad
  bad="$(cd "$dir" && sha256sum --check --strict --quiet SHA256SUMS 2>&1)" \
    || die "the backup is damaged, its files do not match SHA256SUMS: ${bad//$'\n'/; }; nothing was changed"
  local unlisted
  unlisted="$(comm -23 <(cd "$dir" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | sort) \
    <(awk '{ print $2 }' "$dir/SHA256SUMS" | sort))"
  [[ -z $unlisted ]] || die "the backup holds files its checksums do not cover: ${unlisted//$'\n'/ }; nothing was changed"
  for f in $(manifest_files "$dir"); do
    [[ -f $dir/$f ]] || die "the backup's manifest lists $f, which is missing; nothing was changed"
  done
  local id="$dir/cluster-identity.properties" node name ours cas
  node="$(prop "$id" node.id)"
  [[ $node == "n$i" ]] || die "the backup is of ${node:-an unknown node}, not n$i: restore it into ${node:-that node} (./cluster restore ${node#n} FILE); nothing was changed"
  name="$(prop "$id" cluster.name)"
  [[ $name == "${RAFTSTORE_CLUSTER_NAME:-raftstore}" ]] \
    || die "the backup is of cluster '$name', this is '${RAFTSTORE_CLUSTER_NAME:-raftstore}': refused, nothing was changed"
  cas="$(prop "$id" cluster.ca.sha256)"
  [[ -n $cas ]] || die "the backup names no cluster CA, so it cannot be shown to be this cluster's: refused, nothing was changed"
  ours="$(cluster_ca_fingerprint)"
  [[ ",$cas," == *",$ours,"* ]] \
    || die "the backup is from another cluster: its CA is $cas, this cluster's is $ours; refused, nothing was changed"
}

cmd_restore() {
  local i=${1:-} file=${2:-} mode=${3:-}
  check_index "$i"
  [[ $mode == "" || $mode == --rollback ]] || die "usage: ./cluster restore I FILE [--rollback]"
  # The data directory is moved aside, which a mount point cannot be.
  ! disks_mode || die "restore needs a cluster started without --own-disks (n$i's data directory is a mount point)"
  [[ -n $file && -f $file ]] || die "restore I FILE: no backup file '$file' (a zip from POST /api/cluster/backup or the console)"
  local j others=0
  for ((j = 1; j <= $(total); j++)); do (( j != i )) && running "$j" && others=$((others + 1)); done
  if [[ $mode == --rollback ]]; then
    (( others == 0 )) || die "--rollback restores a stopped cluster, but $others other node(s) run; './cluster stop' first, or restore without --rollback"
  else
    (( others > 0 )) || die "no other node runs to catch n$i up; start the cluster first, or restore every node of the stopped cluster with --rollback"
  fi
  local tmp="$STATE/restore-n$i"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  # shellcheck disable=SC2064 # the path is fixed now
  trap "rm -rf '$tmp'" EXIT
  unzip -q "$file" -d "$tmp" >/dev/null 2>&1 || die "$file is not a readable zip; nothing was changed"
  restore_check "$tmp" "$i"
  echo "backup checked: n$i of this cluster, taken $(prop "$tmp/cluster-identity.properties" taken) at applied index $(prop "$tmp/cluster-identity.properties" applied.index)"

  stop_node "$i"
  local dir data aside f
  dir="$(node_dir "$i")"
  data="$dir/data"
  aside="$dir/data.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
  if [[ -d $data ]]; then mv "$data" "$aside"; fi
  mkdir -p "$data"
  for f in $(manifest_files "$tmp"); do
    mkdir -p "$(dirname "$data/$f")"
    cp "$tmp/$f" "$data/$f"
  done
  # The console's audit list belongs to the node, not to its Raft state: it stays.
  [[ -f $aside/console-audit.jsonl ]] && cp "$aside/console-audit.jsonl" "$data/"
  [[ $mode == --rollback ]] || : >"$data/$RESTORE_MARKER"
  sync
  echo "n$i's data replaced by the backup; the previous data is kept in $aside"
  if [[ $mode == --rollback ]]; then
    echo "n$i stays stopped: restore every other node from backups of the same moment, then './cluster start $(size)'"
    return 0
  fi
  [[ -d $STATE/usr ]] || make_server
  launch "$i"
  await_health ready "$i"
  echo "n$i restored: it came back as a new incarnation and the leader caught it up"
}
