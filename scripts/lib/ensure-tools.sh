# Sourced by the setup and test scripts: installs what a fresh Debian machine with only
# Node 20 and npm lacks. Every step is idempotent and skips when the tool is present.

ensure_pnpm() {
  if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm --version 2>/dev/null)" != 10.* ]]; then
    echo "==> installing pnpm 10"
    # corepack's download is blocked on our machines; the npm registry works.
    npm install -g pnpm@10 >/dev/null
  fi
}

ensure_chromium() {
  if [[ -x /usr/bin/chromium ]]; then return; fi
  echo "==> installing Debian's chromium (Playwright never downloads a browser)"
  local sudo=""
  if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}

install_dependencies() {
  echo "==> installing dependencies"
  # onnxruntime-node's install script would download CUDA files (offline: fails). Its CPU
  # and WebGPU binaries ship in the package; CUDA is opt-in: apps/server/scripts/install-cuda-ep.sh.
  ONNXRUNTIME_NODE_INSTALL=skip pnpm install --frozen-lockfile --reporter=append-only
}
