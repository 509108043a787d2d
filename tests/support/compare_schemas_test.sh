#!/bin/bash
# The PostgreSQL schema that `baken` makes equals the SQLite schema it makes: both databases are
# created by the real program (`baken --db … member list` migrates a new one), then
# scripts/compare-schemas.py compares tables, columns, keys and indexes. Needs the `postgres`
# ctest fixture (BAKEN_TEST_POSTGRES_URL_FILE).
set -euo pipefail
baken=$1
source_dir=$2
server_url=$(cat "${BAKEN_TEST_POSTGRES_URL_FILE:?the postgres fixture did not run}")
database="baken_schema_check_$$"
work=$(mktemp -d)
cleanup() {
  psql -q "$server_url" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql -q -v ON_ERROR_STOP=1 "$server_url" \
  -c "CREATE DATABASE $database ENCODING 'UTF8' LOCALE 'C' TEMPLATE template0"
url="${server_url%/*}/$database"
"$baken" --db "$url" member list >/dev/null
"$baken" --db "$work/baken.db" member list >/dev/null
port=$(cat "$(dirname "$BAKEN_TEST_POSTGRES_URL_FILE")/port")
python3 "$source_dir/scripts/compare-schemas.py" --sqlite "$work/baken.db" --existing \
  --postgres "host=127.0.0.1 port=$port user=baken dbname=$database"
