#!/usr/bin/env bash
# Installs everything `make run` and `make test` need, from package registries only.
# Idempotent: each step checks first, so a second run takes about a second.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="${CONTINUUM_TOOLS:-$HOME/.cache/continuum-tools}"
WANT_BROWSER="${1:-}"   # "test" also installs Chromium, PostgreSQL and the end2end packages
mkdir -p "$TOOLS"

log() { printf '\033[1mbootstrap:\033[0m %s\n' "$*"; }

# 1. Rust target for the hydrate build (toolchain pinned by rust-toolchain.toml).
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version Cargo.lock pins.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' "$ROOT/Cargo.lock")"
WB_DIR="$TOOLS/wasm-bindgen-$WB_VERSION"
if [ ! -x "$WB_DIR/bin/wasm-bindgen" ]; then
  log "installing wasm-bindgen-cli $WB_VERSION (about 4 minutes, once)"
  # --locked fails for this version: a crate it pins was yanked from the index.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --root "$WB_DIR"
fi

# 3. wasm-opt from npm's binaryen (Debian's binaryen 108 breaks hydration).
BINARYEN_VERSION=132.0.0
BY_DIR="$TOOLS/binaryen-$BINARYEN_VERSION"
if [ ! -x "$BY_DIR/node_modules/.bin/wasm-opt" ]; then
  log "installing binaryen $BINARYEN_VERSION from npm"
  mkdir -p "$BY_DIR"
  npm install --prefix "$BY_DIR" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
fi

# 4. leptosfmt for `make fmt` (the view! macros; rustfmt leaves them alone), at a pinned version.
LEPTOSFMT_VERSION=0.1.33
LF_DIR="$TOOLS/leptosfmt-$LEPTOSFMT_VERSION"
if [ "$WANT_BROWSER" = "test" ] && [ ! -x "$LF_DIR/bin/leptosfmt" ]; then
  log "installing leptosfmt $LEPTOSFMT_VERSION (about 2 minutes, once)"
  cargo install leptosfmt --version "$LEPTOSFMT_VERSION" --locked --root "$LF_DIR"
fi

apt_ready=""
apt_install() {
  if [ -z "$apt_ready" ]; then apt-get update -qq; apt_ready=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ "$WANT_BROWSER" = "test" ]; then
  # 5. Debian's Chromium for the browser tests, PostgreSQL for the second backend.
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from Debian"
    apt_install "${missing[@]}"
  fi
  # 6. end2end packages from the committed lock file (no browser download: playwright-core only).
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ] || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "installing end2end npm packages"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
fi

# Tell the Makefile where the tools are.
printf 'WASM_BINDGEN=%s\nWASM_OPT=%s\nLEPTOSFMT=%s\n' "$WB_DIR/bin/wasm-bindgen" "$BY_DIR/node_modules/.bin/wasm-opt" \
  "$LF_DIR/bin/leptosfmt" > "$TOOLS/paths.mk"
