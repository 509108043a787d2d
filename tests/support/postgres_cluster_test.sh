#!/usr/bin/env bash
# Tests of tests/support/postgres_cluster.sh, run by ctest (tests/CMakeLists.txt):
#
#   postgres_cluster_test.sh connect              the fixture's server (BAKEN_TEST_POSTGRES_URL_FILE)
#                                                 answers, listens on 127.0.0.1 only, runs as non-root
#   postgres_cluster_test.sh port-taken DIR       a second cluster whose first port is the fixture's
#                                                 starts on another one
#   postgres_cluster_test.sh watchdog DIR         a cluster whose starting process is killed is
#                                                 stopped by its watchdog; stop is idempotent
set -euo pipefail

script="$(cd "$(dirname "$0")" && pwd)/postgres_cluster.sh"
readonly watchdog_deadline_seconds=20

for variable in $(compgen -e); do
  case $variable in PG*) unset "$variable" ;; esac
done

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

command -v psql >/dev/null || fail "psql not found on PATH (Debian package postgresql-client)"

query() {
  psql -X -A -t -q -v ON_ERROR_STOP=1 "$1" -c "$2"
}

# Same rule as the watchdog's: a zombie counts as gone, and a reused pid is another process.
process_alive() {
  local stat fields
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  read -ra fields <<<"${stat##*) }"
  [ "${fields[0]}" != Z ] && [ "${fields[19]}" = "$2" ]
}

process_start_time() {
  local stat fields
  stat=$(cat "/proc/$1/stat")
  read -ra fields <<<"${stat##*) }"
  echo "${fields[19]}"
}

postmaster_pid() {
  head -1 "$(cat "$1/cluster")/data/postmaster.pid"
}

# Local addresses (hex, as in /proc/net/tcp*) with a listening TCP socket on port $1.
listening_addresses() {
  local port_hex
  port_hex=$(printf '%04X' "$1")
  awk -v port="$port_hex" '$4 == "0A" { split($2, local_address, ":"); if (local_address[2] == port) print local_address[1] }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

connect() {
  local url_file=${BAKEN_TEST_POSTGRES_URL_FILE:?BAKEN_TEST_POSTGRES_URL_FILE is not set}
  local dir url port
  dir=$(dirname "$url_file")
  url=$(cat "$url_file")
  port=$(cat "$dir/port")
  [ "$url" = "postgresql://baken@127.0.0.1:$port/baken" ] || fail "unexpected URL $url"

  [ "$(query "$url" 'select 1')" = 1 ] || fail "select 1 on $url"
  [ "$(query "$url" 'select current_user || $$ $$ || current_database()')" = "baken baken" ] ||
    fail "not connected as baken to the database baken"
  [ "$(query "$url" "select pg_get_userbyid(datdba) from pg_database where datname = 'baken'")" = baken ] ||
    fail "the database baken is not owned by baken"
  # The lead's store tests create a database per test.
  if ! query "$url" 'create database cluster_test_scratch' ||
    ! query "$url" 'drop database cluster_test_scratch'; then
    fail "baken cannot create and drop databases"
  fi

  [ "$(query "$url" 'show listen_addresses')" = 127.0.0.1 ] || fail "listen_addresses is not 127.0.0.1"
  [ -z "$(query "$url" 'show unix_socket_directories')" ] || fail "the server has a unix socket"
  [ "$(query "$url" 'show fsync')" = off ] || fail "fsync is on"
  local addresses
  addresses=$(listening_addresses "$port" | sort -u)
  [ "$addresses" = 0100007F ] || fail "port $port listens on ${addresses:-nothing} (hex), not only 127.0.0.1"
  if psql -X -q "postgresql://baken@127.0.0.2:$port/baken?connect_timeout=5" -c 'select 1' >/dev/null 2>&1; then
    fail "the server answers on 127.0.0.2:$port"
  fi

  local pid uid
  pid=$(postmaster_pid "$dir")
  uid=$(stat -c %u "/proc/$pid")
  [ "$uid" -ne 0 ] || fail "the server (pid $pid) runs as root"
  if [ "$(id -u)" -eq 0 ]; then
    [ "$uid" = "$(id -u nobody)" ] || fail "the server (pid $pid) runs as uid $uid, not nobody"
  fi
  echo "connect: $url answers; listens on 127.0.0.1:$port only; server pid $pid runs as uid $uid"
}

port_taken() {
  local dir=$1 url_file=${BAKEN_TEST_POSTGRES_URL_FILE:?BAKEN_TEST_POSTGRES_URL_FILE is not set}
  local taken
  taken=$(cat "$(dirname "$url_file")/port")
  # shellcheck disable=SC2064 # the folder is known now, and $dir is gone when the trap runs
  trap "$(printf '%q stop %q' "$script" "$dir")" EXIT
  BAKEN_POSTGRES_FIRST_PORT=$taken "$script" start "$dir" 2>"$dir.stderr" ||
    { cat "$dir.stderr" >&2; fail "start with port $taken taken"; }
  grep -qF "port $taken on 127.0.0.1 is taken; trying another" "$dir.stderr" ||
    fail "start did not try the taken port $taken first"
  local port
  port=$(cat "$dir/port")
  [ "$port" != "$taken" ] || fail "started on the taken port $taken"
  [ "$(query "$(cat "$dir/url")" 'select 1')" = 1 ] || fail "select 1 on the second cluster"
  local pid start_time
  pid=$(postmaster_pid "$dir")
  start_time=$(process_start_time "$pid")
  "$script" stop "$dir"
  [ ! -e "$dir" ] || fail "stop left $dir"
  ! process_alive "$pid" "$start_time" || fail "stop left the server (pid $pid) running"
  rm -f "$dir.stderr"
  echo "port-taken: port $taken was taken, started on $port; stop stopped it"
}

watchdog() {
  local dir=$1
  # shellcheck disable=SC2064 # the folder is known now, and $dir is gone when the trap runs
  trap "$(printf '%q stop %q' "$script" "$dir")" EXIT
  local fifo
  fifo=$(mktemp -u "${TMPDIR:-/tmp}/postgres_cluster_test.XXXXXX")
  mkfifo "$fifo"
  exec 3<>"$fifo"
  rm -f "$fifo"

  # The starting process stands in for ctest: it stays alive after start, and then gets killed.
  (
    status=0
    "$script" start "$dir" >"$dir.log" 2>&1 3>&- || status=$?
    echo "$status" >&3
    exec sleep 600
  ) &
  local starter=$!
  local status
  read -r -t 120 -u 3 status || fail "start did not finish within 120 s"
  [ "$status" -eq 0 ] || { cat "$dir.log" >&2; fail "start failed"; }
  [ "$(query "$(cat "$dir/url")" 'select 1')" = 1 ] || fail "select 1 before the kill"

  local pid start_time
  pid=$(postmaster_pid "$dir")
  start_time=$(process_start_time "$pid")
  kill -KILL "$starter"
  wait "$starter" 2>/dev/null || true

  local deadline=$((SECONDS + watchdog_deadline_seconds))
  while process_alive "$pid" "$start_time"; do
    [ "$SECONDS" -lt "$deadline" ] ||
      fail "the server (pid $pid) still runs ${watchdog_deadline_seconds} s after its starter died"
    sleep 0.5
  done
  grep -q "that started the server is gone" "$dir/watchdog.log" ||
    fail "the watchdog did not say why it stopped the server"

  "$script" stop "$dir" || fail "stop after the watchdog"
  [ ! -e "$dir" ] || fail "stop left $dir"
  "$script" stop "$dir" || fail "stop on a missing folder"
  rm -f "$dir.log"
  echo "watchdog: the server (pid $pid) stopped after its starter was killed; stop is idempotent"
}

case ${1:-} in
  connect) connect ;;
  port-taken) port_taken "${2:?usage: postgres_cluster_test.sh port-taken DIR}" ;;
  watchdog) watchdog "${2:?usage: postgres_cluster_test.sh watchdog DIR}" ;;
  *) fail "usage: postgres_cluster_test.sh connect|port-taken DIR|watchdog DIR" ;;
esac
