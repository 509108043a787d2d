#!/usr/bin/env bash
# Installs the portal's npm packages (web/package-lock.json, exact versions) when they are
# missing or the lock file changed since the last install. Non-interactive, for CI as root.
set -euo pipefail
cd "$(dirname "$0")/../web"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-web-deps: node and npm are needed to build the portal (Node.js 20.19 or newer)" >&2
  exit 1
fi
# Vite 8 needs Node.js ^20.19 or >= 22.12; Debian 12's own nodejs (18) is too old.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)||(a===20&&b>=19)||(a>20&&a<22)?0:1)'; then
  echo "install-web-deps: Node.js $(node --version) is too old for the portal's build; 20.19 or newer is needed" >&2
  exit 1
fi

stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ]; then
  exit 0
fi
echo "install-web-deps: npm ci"
npm ci --no-audit --no-fund --loglevel=error
