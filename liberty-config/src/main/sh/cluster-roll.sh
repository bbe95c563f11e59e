# shellcheck shell=bash
# `./cluster rolling-restart`: every node stopped and started again in turn, the followers first and the
# leader last, so the cluster changes leader once. Before the leader stops it hands leadership to a node that
# was restarted already (POST /api/cluster/transfer as admin) and the script waits until another node leads;
# each node, once started, must be ready and have applied what the leader had committed when it came back
# before the next one goes. Sourced by ./cluster, whose helpers it uses.

ROLL_HANDOVER_TIMEOUT=15

# POST as admin; the password goes to curl on stdin, not on its command line.
admin_post() {
  curl -s --max-time 10 -K - -X POST "$1" <<<"user = \"${RAFTSTORE_ADMIN_USER:-admin}:$(credential RAFTSTORE_ADMIN_PASSWORD)\""
}

node_status() { curl -s --max-time 2 "$(url_of "$1")/api/cluster/status" 2>/dev/null || true; }

# Node I's leader hands over to TARGET; waits until another node leads.
roll_hand_over() {
  local i=$1 target=$2 deadline=$((SECONDS + ROLL_HANDOVER_TIMEOUT)) leader
  while :; do
    admin_post "$(url_of "$i")/api/cluster/transfer?target=n$target" >/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      leader="$(status_json | jq -r "$LEADER")"
      if [[ -n $leader && $leader != "$i" ]]; then echo "n$i handed leadership to n$leader"; return 0; fi
      sleep 0.2
    done
    if (( SECONDS >= deadline )); then
      # SIGTERM makes a leader hand over too; say so rather than stall the roll.
      echo "n$i did not hand leadership over within ${ROLL_HANDOVER_TIMEOUT}s; stopping it anyway (it hands over on SIGTERM)"
      return 0
    fi
  done
}

# Waits until node I has applied what the leader had committed when I became ready.
roll_await_caught_up() {
  local i=$1 deadline=$((SECONDS + READY_TIMEOUT)) leader target applied
  leader="$(status_json | jq -r "$LEADER")"
  [[ -n $leader ]] || die "no leader after n$i came back: $(cmd_status)"
  target="$(node_status "$leader" | jq -r '.commitIndex // empty')"
  [[ -n $target ]] || die "the leader n$leader does not answer its status"
  until applied="$(node_status "$i" | jq -r '.lastApplied // 0')" && (( applied >= target )); do
    (( SECONDS < deadline )) || die "n$i applied $applied of $target entries after ${READY_TIMEOUT}s; see $(node_dir "$i")/console.log"
    sleep 0.2
  done
  echo "n$i caught up (applied $applied, leader's commit index was $target)"
}

cmd_rolling_restart() {
  local n i; n="$(total)"
  (( n > 0 )) || die "no cluster; './cluster start' first"
  for ((i = 1; i <= n; i++)); do
    running "$i" || die "n$i is down; './cluster restart $i' first: a rolling restart needs every node up"
  done
  for ((i = 1; i <= n; i++)); do
    probe ready "$i" || die "n$i is not ready; a rolling restart starts from a ready cluster (./cluster status)"
  done
  local restarted=() step leader next
  for ((step = 1; step <= n; step++)); do
    leader="$(status_json | jq -r "$LEADER")"
    next=""
    for ((i = 1; i <= n; i++)); do
      [[ " ${restarted[*]} " == *" $i "* || $i == "$leader" ]] || { next=$i; break; }
    done
    if [[ -z $next ]]; then
      next=$leader
      # A one-node cluster has no one to hand over to: its writes wait for the restart.
      (( ${#restarted[@]} == 0 )) || roll_hand_over "$next" "${restarted[0]}"
    fi
    echo "rolling restart: n$next ($step of $n)"
    stop_node "$next"
    [[ -d $STATE/usr ]] || make_server
    launch "$next"
    await_health ready "$next"
    roll_await_caught_up "$next"
    restarted+=("$next")
  done
  echo "rolling restart done: every node restarted; leader n$(status_json | jq -r "$LEADER")"
}
