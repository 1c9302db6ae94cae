#!/usr/bin/env bash
# Sets up everything, then starts Loupe (server + built web app on one port, real models).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "==> starting Loupe on http://${HOST:-127.0.0.1}:${PORT:-8787}"
exec pnpm start
