#!/usr/bin/env bash
# Builds the browser half of the site into target/site/pkg: the hydrate wasm (size-optimized), its
# JavaScript glue and the stylesheet. Plain cargo + wasm-bindgen + wasm-opt: no cargo-leptos needed.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
TOOLS="${CONTINUUM_TOOLS:-$HOME/.cache/continuum-tools}"
# shellcheck disable=SC1091
source <(sed 's/^/export /' "$TOOLS/paths.mk")
PROFILE="${WASM_PROFILE:-wasm-release}"
PKG="target/site/pkg"
DIR="$PROFILE"; [ "$PROFILE" = dev ] && DIR=debug

cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$PROFILE"
mkdir -p "$PKG"
"$WASM_BINDGEN" --target web --no-typescript --out-dir "$PKG" --out-name continuum \
  "target/wasm32-unknown-unknown/$DIR/frontend.wasm"
if [ "$PROFILE" != dev ]; then
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    -o "$PKG/continuum_bg.wasm" "$PKG/continuum_bg.wasm"
fi
cp style/main.css "$PKG/continuum.css"
cp style/favicon.svg "$PKG/favicon.svg"
# Precompressed copies, served to browsers that accept gzip (no name or time inside: the same bytes every build).
for asset in continuum_bg.wasm continuum.js continuum.css favicon.svg; do
  gzip -9 -n -k -f "$PKG/$asset"
done

size() { printf '%-22s %8d B raw %8d B gzip\n' "$(basename "$1")" "$(wc -c < "$1")" "$(gzip -9 -c "$1" | wc -c)"; }
echo "site built ($PROFILE):"
size "$PKG/continuum_bg.wasm"
size "$PKG/continuum.js"
size "$PKG/continuum.css"
