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
STAGE="target/site/stage"
rm -rf "$STAGE" && mkdir -p "$STAGE"
"$WASM_BINDGEN" --target web --no-typescript --out-dir "$STAGE" --out-name continuum \
  "target/wasm32-unknown-unknown/$DIR/frontend.wasm"
if [ "$PROFILE" != dev ]; then
  "$WASM_OPT" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    -o "$STAGE/continuum_bg.wasm" "$STAGE/continuum_bg.wasm"
fi

# Content-hashed names: a browser keeps each file for a year, and a new build is fetched at once. The script
# and its wasm share one name (the page names them together); pkg/assets.json tells the server the names.
hash() { cat "$@" | sha256sum | cut -c1-16; }
APP="continuum.$(hash "$STAGE/continuum.js" "$STAGE/continuum_bg.wasm")"
CSS="continuum.$(hash style/main.css).css"
ICON="favicon.$(hash style/favicon.svg).svg"
TOUCH_ICON="icon-180.$(hash style/icon-180.png).png"
rm -rf "$PKG" && mkdir -p "$PKG"
mv "$STAGE/continuum.js" "$PKG/$APP.js"
mv "$STAGE/continuum_bg.wasm" "$PKG/${APP}_bg.wasm"
rm -rf "$STAGE"
cp style/main.css "$PKG/$CSS"
cp style/favicon.svg "$PKG/$ICON"
cp style/icon-180.png "$PKG/$TOUCH_ICON"
printf '{"app":"%s","stylesheet":"%s","icon":"%s","touch_icon":"%s"}\n' "$APP" "$CSS" "$ICON" "$TOUCH_ICON" \
  > "$PKG/assets.json"

# Precompressed copies for browsers that accept brotli or gzip (no name or time inside: the same bytes
# every build). The PNG icon is compressed already.
ASSETS=("$PKG/$APP.js" "$PKG/${APP}_bg.wasm" "$PKG/$CSS" "$PKG/$ICON")
for asset in "${ASSETS[@]}"; do
  gzip -9 -n -k -f "$asset"
done
node scripts/brotli.js "${ASSETS[@]}"

size() { printf '  %-36s %9d B raw %8d B gzip %8d B brotli\n' "$(basename "$1")" "$(wc -c < "$1")" \
  "$(wc -c < "$1.gz")" "$(wc -c < "$1.br")"; }
echo "site built ($PROFILE):"
for asset in "${ASSETS[@]}"; do size "$asset"; done
