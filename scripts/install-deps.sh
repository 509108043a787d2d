#!/usr/bin/env bash
# Installs the Debian packages listed in scripts/debian-packages.txt that are not installed yet.
# Non-interactive and idempotent: CI runs it as root with no terminal.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t wanted < <(grep -vE '^\s*(#|$)' scripts/debian-packages.txt)
missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

# Installing postgresql creates and starts a system cluster "main" on port 5432. The tests start
# their own throw-away server (tests/support/postgres_cluster.sh) and nothing uses "main", so
# postgresql-common is told not to create it (its postinst reads create_main_cluster from
# createcluster.conf, which includes createcluster.d/*.conf). The setting is removed again
# afterwards: it would otherwise also apply to clusters the machine's owner installs later.
no_main_cluster=/etc/postgresql-common/createcluster.d/baken-install-deps.conf
for package in "${missing[@]}"; do
  if [ "$package" = postgresql ]; then
    trap '"${sudo_cmd[@]}" rm -f "$no_main_cluster"' EXIT
    "${sudo_cmd[@]}" mkdir -p "$(dirname "$no_main_cluster")"
    echo 'create_main_cluster = false' | "${sudo_cmd[@]}" tee "$no_main_cluster" >/dev/null
  fi
done

"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
