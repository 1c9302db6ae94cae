#!/usr/bin/env bash
# The whole test suite, from a fresh machine: what CI runs (.ci/run) and the README's test command.
# Every step runs even when an earlier one fails, so one run shows everything that is wrong.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-tools.sh
ensure_pnpm
ensure_chromium
bash scripts/setup.sh || { echo "setup failed"; echo "0 passed, 1 failed"; exit 1; }

rm -rf test-results && mkdir -p test-results
failed_steps=()
step() {
  local name=$1; shift
  echo "==> $name"
  if ! "$@"; then failed_steps+=("$name"); fi
}
step typecheck pnpm typecheck
step lint pnpm lint
step format pnpm format:check
step "unit and server tests" pnpm exec vitest run --reporter=default --reporter=json \
  --outputFile.json=test-results/vitest.json
step "e2e (Playwright, Chromium)" pnpm exec playwright test

node scripts/lib/summarize-tests.mjs "${failed_steps[@]}"
