# Shared helpers for the tools/ scripts. Source it; it defines functions only.

# Installs Debian packages that are missing (apt-get update once, only when needed).
ensure_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# Installs the npm tools of package.json (buf, google protos, s3rver) when the lock file changed.
ensure_npm_tools() {
  local root=$1
  if [ ! -x "$root/node_modules/.bin/buf" ] || [ ! -f "$root/node_modules/s3rver/bin/s3rver.js" ] \
    || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
}

# Prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Starts a PostgreSQL on 127.0.0.1 with its data under $1: a new cluster the first time, the
# same data again when $1 already holds one. Sets PG_PORT and PG_DATA; stop it with stop_postgres.
start_postgres() {
  local dir=$1
  ensure_apt postgresql
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  PG_DATA="$dir/pgdata"
  PG_PORT=$(free_port)
  mkdir -p "$dir"
  chmod 755 "$dir"
  chmod o+x "$(dirname "$dir")"  # mktemp folders are 0700; the postgres user must pass through
  local run=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"          # initdb refuses to run as root
    run=(runuser -u postgres --)
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    "${run[@]}" "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
  fi
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DATA" -m fast stop)
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DATA" -w -l "$dir/postgres.log" \
    -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null || {
    cat "$dir/postgres.log" >&2; return 1; }
}

stop_postgres() {
  if [ -n "${PG_DATA:-}" ] && [ -n "${PG_STOP+set}" ]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
  fi
}

# Starts s3rver (an S3-compatible server from npm, see package.json) on 127.0.0.1 with its
# objects under $1. Sets S3_PORT and S3_PID; stop it with stop_s3.
start_s3() {
  local dir=$1
  local s3rver; s3rver="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/node_modules/s3rver/bin/s3rver.js"
  mkdir -p "$dir"
  S3_PORT=$(free_port)
  node "$s3rver" -d "$dir" -a 127.0.0.1 -p "$S3_PORT" --no-vhost-buckets --silent >"$dir.log" 2>&1 &
  S3_PID=$!
  await_server "$S3_PID" "$dir.log" port_open "$S3_PORT" || { S3_PID=""; return 1; }
}

stop_s3() { stop_process "${S3_PID:-}"; S3_PID=""; }

# Starts a single-member etcd on 127.0.0.1 with its data under $1 (kept when it is there already).
# Sets ETCD_PORT and ETCD_PID; stop it with stop_etcd.
start_etcd() {
  local dir=$1
  ensure_apt etcd-server etcd-client
  mkdir -p "$dir"
  ETCD_PORT=$(free_port)
  local peer_port; peer_port=$(free_port)
  while [ "$peer_port" = "$ETCD_PORT" ]; do peer_port=$(free_port); done
  local client="http://127.0.0.1:$ETCD_PORT" peer="http://127.0.0.1:$peer_port"
  etcd --name default --data-dir "$dir/data" \
    --listen-client-urls "$client" --advertise-client-urls "$client" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" \
    --initial-cluster "default=$peer" >"$dir.log" 2>&1 &
  ETCD_PID=$!
  await_server "$ETCD_PID" "$dir.log" \
    env ETCDCTL_API=3 etcdctl --endpoints="127.0.0.1:$ETCD_PORT" --dial-timeout=1s endpoint health \
    || { ETCD_PID=""; return 1; }
}

stop_etcd() { stop_process "${ETCD_PID:-}"; ETCD_PID=""; }

# await_server PID LOG CHECK...: waits up to 10 s for CHECK to succeed while PID lives. When it
# never does, prints LOG, stops PID and fails.
await_server() {
  local pid=$1 log=$2; shift 2
  for _ in $(seq 1 100); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  stop_process "$pid"
  return 1
}

# Whether something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Stops a background process this shell started (no-op for an empty PID). Safe under set -e:
# the stopped process's exit status is not this function's failure.
stop_process() {
  if [ -n "$1" ] && kill "$1" 2>/dev/null; then
    wait "$1" 2>/dev/null || true
  fi
  return 0
}
