# shellcheck shell=bash
# `./cluster lb start [haproxy|nginx]` / `./cluster lb stop`: a load balancer in front of the local cluster on
# 127.0.0.1:$HTTP_BASE (9080 by default; node I is on HTTP_BASE + I). It runs the shipped configuration
# (liberty-config/src/main/lb/) with the cluster's own node addresses and port written in, in the foreground
# under nohup, tracked by its PID in $STATE/lb/ like the nodes; `stop` and `wipe` stop it too.
# Sourced by ./cluster, whose helpers (die, total, host_of, HTTP_BASE, STATE) it uses.

LB_TEMPLATES="$ROOT/liberty-config/src/main/lb"

lb_dir() { echo "$STATE/lb"; }
lb_pid() { [[ -f $(lb_dir)/pid ]] && cat "$(lb_dir)/pid" || true; }
lb_running() { local p; p="$(lb_pid)"; [[ -n $p ]] && kill -0 "$p" 2>/dev/null; }

# The shipped configuration with this cluster's listen address and one server line per node: the template's
# first server line is the pattern, its other server lines are dropped.
lb_render() {
  local kind=$1 servers="" i
  for ((i = 1; i <= $(total); i++)); do servers+="${servers:+ }$(host_of "$i"):$((HTTP_BASE + i))"; done
  case $kind in
    haproxy)
      awk -v listen="127.0.0.1:$HTTP_BASE" -v servers="$servers" '
        $1 == "bind" { sub(/[^ ]+$/, listen) }
        $1 == "server" { if (!done) { n = split(servers, s, " "); indent = $0; sub(/[^ ].*/, "", indent)
            for (i = 1; i <= n; i++) print indent "server n" i " " s[i]; done = 1 }; next }
        { print }' "$LB_TEMPLATES/haproxy.cfg" ;;
    nginx)
      awk -v listen="127.0.0.1:$HTTP_BASE" -v servers="$servers" '
        $1 == "listen" { sub(/listen [^;]+/, "listen " listen) }
        $1 == "server" && $2 ~ /^[0-9]/ { if (!done) { n = split(servers, s, " ")
            for (i = 1; i <= n; i++) { line = $0; sub(/server [^ ;]+/, "server " s[i], line); print line }; done = 1 }; next }
        { print }' "$LB_TEMPLATES/nginx.conf" ;;
  esac
}

lb_start() {
  local kind=${1:-haproxy} dir; dir="$(lb_dir)"
  [[ $kind == haproxy || $kind == nginx ]] || die "lb start takes haproxy or nginx, not '$kind'"
  (( $(total) > 0 )) || die "no cluster; './cluster start' first"
  if lb_running; then
    [[ $(cat "$dir/kind") == "$kind" ]] || die "a $(cat "$dir/kind") balancer runs (pid $(lb_pid)); './cluster lb stop' first"
    echo "balancer already running: $kind on http://127.0.0.1:$HTTP_BASE (pid $(lb_pid))"
    return 0
  fi
  command -v "$kind" >/dev/null || die "$kind is not installed; install the Debian package: apt-get install $kind"
  if (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_BASE") 2>/dev/null; then die "port $HTTP_BASE is already in use by another process"; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  echo "$kind" >"$dir/kind"
  local conf="$dir/$kind.conf" cmd
  lb_render "$kind" >"$conf"
  if [[ $kind == haproxy ]]; then
    haproxy -c -q -f "$conf" >"$dir/check.log" 2>&1 || die "haproxy refuses $conf: $(head -c 400 "$dir/check.log")"
    cmd=(haproxy -db -f "$conf") # -db: in the foreground, so $! is its PID
  else
    nginx -t -q -p "$dir" -c "$conf" >"$dir/check.log" 2>&1 || die "nginx refuses $conf: $(head -c 400 "$dir/check.log")"
    cmd=(nginx -p "$dir" -c "$conf" -g 'daemon off;')
  fi
  nohup "${cmd[@]}" >"$dir/lb.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  local deadline=$((SECONDS + 10))
  until (exec 3<>"/dev/tcp/127.0.0.1/$HTTP_BASE") 2>/dev/null; do
    lb_running || die "$kind exited while starting; see $dir/lb.log"
    (( SECONDS < deadline )) || die "$kind does not listen on 127.0.0.1:$HTTP_BASE after 10 s; see $dir/lb.log"
    sleep 0.2
  done
  echo "balancer: $kind on http://127.0.0.1:$HTTP_BASE (pid $(lb_pid)) in front of n1..n$(total); config $conf$(
    [[ $kind == haproxy ]] && echo "; statistics http://127.0.0.1:$HTTP_BASE/lb/stats")"
}

lb_stop() {
  local p; p="$(lb_pid)"
  if lb_running; then
    kill -TERM "$p"
    local deadline=$((SECONDS + 10))
    while kill -0 "$p" 2>/dev/null; do
      if (( SECONDS >= deadline )); then kill -9 "$p" 2>/dev/null || true; break; fi
      sleep 0.1
    done
    echo "balancer stopped ($(cat "$(lb_dir)/kind"), pid $p)"
  fi
  rm -f "$(lb_dir)/pid"
}

cmd_lb() {
  case ${1:-} in
    start) lb_start "${2:-haproxy}" ;;
    stop) lb_stop ;;
    *) die "usage: ./cluster lb start [haproxy|nginx] | lb stop" ;;
  esac
}
