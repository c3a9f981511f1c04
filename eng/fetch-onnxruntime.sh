#!/usr/bin/env bash
# Fetches the official ONNX Runtime native library (shipped inside the npm package onnxruntime-node) into a
# repo-local cache, once. Needs node and npm. Prints the library's path on stdout.
#
#   eng/fetch-onnxruntime.sh            -> .cache/onnxruntime/1.30.0/libonnxruntime.so.1 (Linux x64)
#   VAEML_ONNXRUNTIME_PATH=$(eng/fetch-onnxruntime.sh) dotnet run ...
#
# `npm install` is not used on purpose: the package's install script downloads extra binaries and fails offline;
# `npm pack` only fetches the package tarball, which already holds the CPU runtime for each platform.
set -euo pipefail

version="${ONNXRUNTIME_VERSION:-1.30.0}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_dir="${VAEML_ONNXRUNTIME_CACHE:-$repo_root/.cache/onnxruntime}/$version"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64)  member="linux/x64/libonnxruntime.so.1"; file="libonnxruntime.so.1" ;;
  Linux-aarch64) member="linux/arm64/libonnxruntime.so.1"; file="libonnxruntime.so.1" ;;
  Darwin-arm64)  member="darwin/arm64/libonnxruntime.1.dylib"; file="libonnxruntime.1.dylib" ;;
  *) echo "fetch-onnxruntime: no prebuilt ONNX Runtime in onnxruntime-node for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

target="$cache_dir/$file"
if [ -s "$target" ]; then
  echo "$target"
  exit 0
fi

for tool in npm tar; do
  command -v "$tool" >/dev/null || { echo "fetch-onnxruntime: '$tool' is required (install node and npm)" >&2; exit 1; }
done

mkdir -p "$cache_dir"
work="$(mktemp -d "$cache_dir/.fetch.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "fetch-onnxruntime: npm pack onnxruntime-node@$version" >&2
(cd "$work" && npm pack --silent "onnxruntime-node@$version" >/dev/null)
tar -xzf "$work/onnxruntime-node-$version.tgz" -C "$work" "package/bin/napi-v6/$member"

# Move into place atomically so concurrent builds never see a half-written library.
mv -f "$work/package/bin/napi-v6/$member" "$work/$file"
mv -f "$work/$file" "$target"
echo "$target"
