#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests (issue 14): Debian's postgresql package, a fresh
# cluster in a folder of the build tree, a free port on 127.0.0.1 only, trust authentication for
# the role `baken`, which owns the database `baken`. No system service and no manual step.
#
#   postgres_cluster.sh start DIR   writes postgresql://baken@127.0.0.1:PORT/baken into DIR/url
#   postgres_cluster.sh stop DIR    stops the server and removes DIR
#
# Both are idempotent: `start` on an existing DIR first stops what it holds, `stop` on a missing
# DIR succeeds. `start` also leaves a watchdog that stops the server when the process that ran
# `start` (ctest, for the fixture in tests/CMakeLists.txt) is gone, so that a ctest that is killed
# or interrupted leaves no server behind. Files in DIR: url, port, cluster (the folder holding the
# data directory and server.log), watchdog.pid, watchdog.log.
set -euo pipefail

usage="usage: postgres_cluster.sh start|stop DIR"
readonly watch_interval_seconds=2
readonly start_attempts=5
script=$(readlink -f "$0")

fail() {
  echo "postgres_cluster: $*" >&2
  exit 1
}

# The client and server read PG* variables (PGHOST, PGPORT, PGDATA, ...); a developer's settings
# must not point these commands at another server.
for variable in $(compgen -e); do
  case $variable in PG*) unset "$variable" ;; esac
done

# Debian keeps the server programs off PATH, one folder per major version; take the newest.
find_bindir() {
  local newest="" version initdb
  for initdb in /usr/lib/postgresql/*/bin/initdb; do
    [ -x "$initdb" ] || continue
    version=$(basename "$(dirname "$(dirname "$initdb")")")
    if [ -z "$newest" ] || [ "$version" -gt "$(basename "$(dirname "$newest")")" ]; then
      newest=$(dirname "$initdb")
    fi
  done
  [ -n "$newest" ] ||
    fail "postgresql is not installed: /usr/lib/postgresql/*/bin/initdb not found; run scripts/install-deps.sh"
  echo "$newest"
}

# PostgreSQL refuses to run as root, and CI runs as root: the server then runs as `nobody`.
server_user() {
  if [ "$(id -u)" -eq 0 ]; then echo nobody; else id -un; fi
}

as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env -- "$@"
  else
    "$@"
  fi
}

# Whether the server's user can create files in $1 (root's home, for one, is closed to nobody).
server_can_write() {
  as_server test -w "$1" -a -x "$1"
}

# Linux's start time of process $1 (clock ticks since boot, field 22 of /proc/PID/stat): with the
# pid it names one process for good, even after the pid has been reused.
process_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  local fields
  read -ra fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

# Whether process $1 with start time $2 is still alive (a zombie counts as gone).
process_alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  local fields
  read -ra fields <<<"${stat##*) }"
  [ "${fields[0]}" != Z ] && [ "${fields[19]}" = "$2" ]
}

# A port the kernel had free a moment ago; the server may still lose it to another process,
# which is why start_server is retried.
pick_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' ||
    fail "could not pick a free port on 127.0.0.1 (python3 failed)"
}

stop_server() {
  local bindir=$1 data=$2
  [ -f "$data/postmaster.pid" ] || return 0
  (cd / && as_server "$bindir/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1) ||
    (cd / && as_server "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1) ||
    true
}

stop_watchdog() {
  local dir=$1 pid
  pid=$(cat "$dir/watchdog.pid" 2>/dev/null) || return 0
  # Only our own watchdog: the pid may have been reused since it was written.
  if { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF " watch $dir "; then
    kill "$pid" 2>/dev/null || true
  fi
}

stop_cluster() {
  local dir=$1
  [ -e "$dir" ] || return 0
  stop_watchdog "$dir"
  local cluster
  if cluster=$(cat "$dir/cluster" 2>/dev/null) && [ -d "$cluster" ]; then
    if [ -f "$cluster/data/postmaster.pid" ]; then
      stop_server "$(find_bindir)" "$cluster/data"
    fi
    rm -rf "$cluster"
  fi
  rm -rf "$dir"
}

# Runs until the process that ran `start` is gone, then stops the server at once. Also ends when
# the server was stopped another way (`stop`, or it died).
watch() {
  local dir=$1 parent=$2 parent_start=$3 cluster=$4 bindir=$5
  echo "$$" >"$dir/watchdog.pid"
  trap '' INT HUP
  while [ -f "$cluster/data/postmaster.pid" ]; do
    if ! process_alive "$parent" "$parent_start"; then
      echo "postgres_cluster: process $parent that started the server is gone; stopping the server in $cluster"
      (cd / && as_server "$bindir/pg_ctl" -D "$cluster/data" -m immediate -w -t 30 stop) || true
      rm -rf "$cluster"
      return 0
    fi
    sleep "$watch_interval_seconds"
  done
}

start_cluster() {
  local dir=$1
  # $PPID runs this script: ctest, for the fixture. Read first, so that a ctest killed while this
  # runs still has its server stopped by the watchdog.
  local parent=$PPID parent_start
  parent_start=$(process_start_time "$parent") || fail "the process $parent that ran start is gone"
  local bindir
  bindir=$(find_bindir)
  command -v setpriv >/dev/null || [ "$(id -u)" -ne 0 ] ||
    fail "setpriv (util-linux) not found; it is needed to run the server as nobody when run as root"
  stop_cluster "$dir"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)

  # The server's own folder: inside DIR when its user can reach it, else a private temporary folder
  # (a build tree under /root cannot be entered by nobody).
  local cluster="$dir/cluster.d"
  mkdir -p "$cluster"
  if [ "$(id -u)" -eq 0 ]; then
    chown nobody:nogroup "$cluster"
    if ! server_can_write "$cluster"; then
      rmdir "$cluster"
      cluster=$(mktemp -d "${TMPDIR:-/tmp}/baken-postgres.XXXXXX")
      chown nobody:nogroup "$cluster"
      server_can_write "$cluster" || fail "the server's user nobody cannot write to $cluster"
    fi
  fi
  echo "$cluster" >"$dir/cluster"
  local data="$cluster/data" log="$cluster/server.log"

  # The bootstrap superuser is `baken` itself: tests may create and drop databases.
  if ! (cd "$cluster" && as_server "$bindir/initdb" -D "$data" -U baken -A trust -E UTF8 \
      --no-locale --no-sync >"$cluster/initdb.log" 2>&1); then
    cat "$cluster/initdb.log" >&2
    fail "initdb failed for $data as user $(server_user) (output above)"
  fi
  # Only TCP on 127.0.0.1, only the role baken; the speed settings trade durability, which a
  # throw-away cluster does not need.
  cat >>"$data/postgresql.conf" <<'EOF'

# postgres_cluster.sh: a throw-away cluster for Baken's tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
  if [ -n "${BAKEN_POSTGRES_DURABLE:-}" ]; then
    # bench/ingest_e2e.py: a server as a CERT would run it (fsync and full pages on), with
    # commits flushed in the background as SQLite's WAL mode with synchronous=NORMAL does, and
    # room for a bulk load between checkpoints.
    cat >>"$data/postgresql.conf" <<'EOF'
fsync = on
full_page_writes = on
synchronous_commit = off
shared_buffers = 512MB
max_wal_size = 8GB
EOF
  fi
  cat >"$data/pg_hba.conf" <<'EOF'
# postgres_cluster.sh: trust, for the role baken, over 127.0.0.1 only.
host all baken 127.0.0.1/32 trust
EOF

  local attempt port="" started=""
  for ((attempt = 1; attempt <= start_attempts; attempt++)); do
    if [ "$attempt" -eq 1 ] && [ -n "${BAKEN_POSTGRES_FIRST_PORT:-}" ]; then
      port=$BAKEN_POSTGRES_FIRST_PORT # tests/support/postgres_cluster_test.sh: a port in use
    else
      port=$(pick_port)
    fi
    : >"$log"
    chown "$(server_user)" "$log"
    if (cd "$cluster" && as_server "$bindir/pg_ctl" -D "$data" -l "$log" -o "-p $port" -w -t 60 \
        start >/dev/null 2>&1); then
      started=yes
      break
    fi
    if grep -q 'could not bind\|could not create any TCP/IP sockets' "$log"; then
      echo "postgres_cluster: port $port on 127.0.0.1 is taken; trying another" >&2
      continue
    fi
    break
  done
  if [ -z "$started" ]; then
    tail -20 "$log" >&2 || true
    stop_server "$bindir" "$data"
    fail "the PostgreSQL server in $data did not start on 127.0.0.1:$port (log above, in $log)"
  fi

  # A new session, and output to a file, so that neither Ctrl-C on ctest's terminal nor ctest
  # waiting for our output pipes ties the watchdog to ctest.
  setsid "$script" watch "$dir" "$parent" "$parent_start" "$cluster" "$bindir" \
    </dev/null >>"$dir/watchdog.log" 2>&1 &

  local url="postgresql://baken@127.0.0.1:$port/baken"
  if ! "$bindir/psql" -X -q -v ON_ERROR_STOP=1 "postgresql://baken@127.0.0.1:$port/postgres" \
      -c 'CREATE DATABASE baken OWNER baken' >/dev/null 2>"$dir/createdb.log"; then
    cat "$dir/createdb.log" >&2
    stop_server "$bindir" "$data"
    fail "could not create the database baken on 127.0.0.1:$port (output above)"
  fi

  echo "$port" >"$dir/port"
  echo "$url" >"$dir/url"
  echo "postgres_cluster: PostgreSQL $(basename "$(dirname "$bindir")") at $url (data in $data, user $(server_user))"
}

command=${1:-}
case $command in
  start)
    [ $# -eq 2 ] || fail "$usage"
    start_cluster "$2"
    ;;
  stop)
    [ $# -eq 2 ] || fail "$usage"
    stop_cluster "$2"
    ;;
  watch)
    [ $# -eq 6 ] || fail "usage: postgres_cluster.sh watch DIR PID START_TIME CLUSTER BINDIR"
    watch "$2" "$3" "$4" "$5" "$6"
    ;;
  *)
    fail "$usage"
    ;;
esac
