#!/usr/bin/env bash
# What CI does, on an already set-up tree (no installs): typecheck, lint, format, tests, build, e2e.
set -euo pipefail
cd "$(dirname "$0")/.."
pnpm typecheck
pnpm lint
pnpm format:check
pnpm exec vitest run
pnpm build
pnpm exec playwright test
