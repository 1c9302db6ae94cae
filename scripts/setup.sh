#!/usr/bin/env bash
# Everything Loupe needs on a fresh machine: pnpm, dependencies, models, built apps.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-tools.sh
ensure_pnpm
install_dependencies
echo "==> building models (public/models)"
pnpm models
echo "==> building the web app and the server"
pnpm build
