#!/usr/bin/env bash
# Runs the device bench from bench/device/pack/ (made by prepare.sh) on a
# machine with no Node and no network: unpacks Node and Dawn into a scratch
# folder, puts the Vulkan loader on LD_LIBRARY_PATH, keeps the Vulkan driver
# the environment names (VK_DRIVER_FILES / VK_ICD_FILENAMES; else NVIDIA's
# ICD where there is one), and runs webcnn and tfjs-webgpu cell by cell.
# Writes bench/RESULTS-gpu.md (bench/RESULTS-gpu-swiftshader.md on a software
# adapter) and the log, and copies both to $OUT when it is set.
#   bash bench/device/run.sh [--budget S] [--deadline S] [--rows ID,...] ...   (bench/device/main.ts)
set -uo pipefail
cd "$(dirname "$0")/../.."
PACK=bench/device/pack
RUN=${WEBCNN_DEVICE_DIR:-/tmp/webcnn-device}
[ -f "$PACK/node.xz" ] || { echo "run.sh: $PACK is missing: run bench/device/prepare.sh here first, and carry bench/device/pack" >&2; exit 2; }

# xz may be absent there; Python's lzma reads the same files.
unxz_to() {
  if command -v xz >/dev/null; then xz -dc "$1" > "$2"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
rm -rf "$RUN" && mkdir -p "$RUN/lib" "$RUN/node_modules/webgpu/dist/linux-x64" || exit 2
unxz_to "$PACK/node.xz" "$RUN/node" && chmod +x "$RUN/node" || exit 2
cp "$PACK"/node_modules/webgpu/* "$RUN/node_modules/webgpu/" 2>/dev/null
unxz_to "$PACK/dawn.node.xz" "$RUN/node_modules/webgpu/dist/linux-x64/dawn.node" || exit 2
cp -r "$PACK/bench" "$PACK/meta.json" "$RUN/"

# Our Vulkan loader always; the other two only where the machine's own are missing or too old for Dawn.
cp "$PACK/lib/libvulkan.so.1" "$RUN/lib/"
system_lib() { ldconfig -p 2>/dev/null | awk -v n="$1" '$1 == n && /x86-64/ { print $NF; exit }'; }
[ -n "$(system_lib libGLdispatch.so.0)" ] || [ ! -f "$PACK/lib/libGLdispatch.so.0" ] || cp "$PACK/lib/libGLdispatch.so.0" "$RUN/lib/"
STDCXX=$(system_lib libstdc++.so.6)
{ [ -n "$STDCXX" ] && grep -qa GLIBCXX_3.4.30 "$STDCXX"; } || cp "$PACK/lib/libstdc++.so.6" "$RUN/lib/"
export LD_LIBRARY_PATH="$RUN/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$f" ]; then export VK_DRIVER_FILES=$f; break; fi
  done
fi
# Each first step compiles its shaders from nothing: no NVIDIA shader cache on disk between processes.
export __GL_SHADER_DISK_CACHE=0
echo "run.sh: $("$RUN/node" --version), VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}, libs: $(ls "$RUN/lib" | tr '\n' ' ')"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

MARK=$(mktemp)
LOG=$RUN/device-bench.log
"$RUN/node" "$RUN/bench/bench.mjs" --meta "$RUN/meta.json" --out bench/RESULTS-gpu.md --software-out bench/RESULTS-gpu-swiftshader.md \
  --command "bash bench/device/run.sh${*:+ $*}" "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
# No adapter: say what the Vulkan loader saw, so that the next try can bring what is missing.
if [ "$rc" != 0 ] && grep -q 'no WebGPU adapter' "$LOG"; then
  {
    echo "run.sh: diagnostics"; ls -l /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d /etc/vulkan/icd.d 2>&1
    for f in ${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-}}; do cat "$f"; done 2>&1
    ldconfig -p | grep -iE 'nvidia|vulkan|GLdispatch' | head -20
    VK_LOADER_DEBUG=error,warn,driver "$RUN/node" "$RUN/bench/bench.mjs" --job '{"kind":"info"}' 2>&1 | tail -40
  } 2>&1 | tee -a "$LOG"
fi
if [ -n "${OUT:-}" ]; then
  mkdir -p "$OUT" && cp "$LOG" "$OUT/"
  find bench -maxdepth 1 -name 'RESULTS-gpu*.md' -newer "$MARK" -exec cp {} "$OUT/" \;
fi
rm -f "$MARK"
exit "$rc"
