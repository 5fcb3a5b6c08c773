#!/usr/bin/env bash
# Gathers what the GPU machine lacks into bench/device/pack/ (ignored by git;
# about 40 MiB, under the 64 MiB that the device tool carries):
#   node.xz            this machine's Node binary (linux x64), xz-compressed
#   dawn.node.xz       the `webgpu` package's Dawn, for node_modules/webgpu/dist/linux-x64/
#   node_modules/webgpu/{index.js,package.json}   the package around it
#   lib/               the Vulkan loader (libvulkan.so.1); libGLdispatch.so.0 and
#                      libstdc++.so.6, which run.sh uses only where the machine's own are missing or too old
#   bench/bench.mjs    the bench's Node bundle (bench/device/entry.ts): webcnn from the
#                      sources, TF.js (core, layers, backend-webgpu), the browser bench's cells
#   meta.json          webcnn's commit and the versions, for the table's header
# Then run it with bench/device/run.sh (see bench/device/README.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
PACK=bench/device/pack
# The two xz files are kept while newer than what they compress (minutes on 2 cores); the rest is made anew.
find "$PACK" -mindepth 1 -maxdepth 1 ! -name node.xz ! -name dawn.node.xz -exec rm -rf {} + 2>/dev/null || true
mkdir -p "$PACK/lib" "$PACK/node_modules/webgpu/dist/linux-x64"

NODE_BIN=$(node -p process.execPath)
echo "prepare: Node $(node --version) from $NODE_BIN"
# Written aside and renamed, so that an interrupted run leaves no truncated file that looks current.
compress() { xz -6 -T2 -c "$1" > "$2.part" && mv "$2.part" "$2"; }
[ "$PACK/node.xz" -nt "$NODE_BIN" ] || compress "$NODE_BIN" "$PACK/node.xz"

WEBGPU=node_modules/webgpu
[ -f "$WEBGPU/dist/linux-x64/dawn.node" ] || { echo "prepare: $WEBGPU/dist/linux-x64/dawn.node is missing (npm install webgpu)" >&2; exit 1; }
cp "$WEBGPU/index.js" "$WEBGPU/package.json" "$PACK/node_modules/webgpu/"
[ "$PACK/dawn.node.xz" -nt "$WEBGPU/dist/linux-x64/dawn.node" ] || compress "$WEBGPU/dist/linux-x64/dawn.node" "$PACK/dawn.node.xz"

# The first of these that exists (Debian's libvulkan1, or the one chromium ships).
copy_lib() {
  local name=$1; shift
  for f in "$@"; do
    if [ -e "$f" ]; then cp -L "$f" "$PACK/lib/$name"; echo "prepare: $name from $f"; return 0; fi
  done
  echo "prepare: no $name in $*" >&2
  return 1
}
copy_lib libvulkan.so.1 /usr/lib/x86_64-linux-gnu/libvulkan.so.1 /usr/lib/chromium/libvulkan.so.1
copy_lib libGLdispatch.so.0 /usr/lib/x86_64-linux-gnu/libGLdispatch.so.0 || true
copy_lib libstdc++.so.6 /usr/lib/x86_64-linux-gnu/libstdc++.so.6

npx vite build --config bench/device/vite.config.ts

GIT=$(git rev-parse --short HEAD)
[ -z "$(git status --porcelain --untracked-files=no)" ] || GIT="$GIT (with uncommitted changes)"
node -e '
const [git, webgpu, node] = process.argv.slice(1);
console.log(JSON.stringify({ git, webgpu, node, prepared: new Date().toISOString() }));
' "$GIT" "$(node -p "require('./$WEBGPU/package.json').version")" "$(node --version)" > "$PACK/meta.json"

du -sh "$PACK"
SIZE=$(du -sb "$PACK" | cut -f1)
[ "$SIZE" -lt $((60 * 1024 * 1024)) ] || { echo "prepare: $PACK is $SIZE bytes, too much for the device tool's 64 MiB" >&2; exit 1; }
echo "prepare: done; now: bash bench/device/run.sh (bench/device/README.md)"
