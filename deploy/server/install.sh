#!/usr/bin/env bash
# One-server production install of the platform: systemd units, Caddy with
# automatic TLS in front, secrets in /etc/paas readable by root and the
# platform's user only, logs in the journal. See README, "Run it for your team".
#
#   sudo deploy/server/install.sh --domain apps.example.com --email ops@example.com
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$(id -u)" != 0 ]; then
  echo "run it as root: sudo $0 $*" >&2
  exit 1
fi
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Node.js 20 or newer is needed first (Debian 12's nodejs is 18: use NodeSource's packages or the official binaries)" >&2
  exit 1
fi
exec node "$here/install.mjs" "$@"
