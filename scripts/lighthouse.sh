#!/usr/bin/env bash
# Lighthouse (mobile, default throttling) on each role's main pages: builds the release server and the site,
# starts the server with demo data in a throwaway folder, runs end2end/lighthouse/run.mjs signed in as each
# role, and writes the table into BENCHMARKS.md. Fails when a page misses the bar.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${LIGHTHOUSE_PORT:-3200}"
cargo build --release -p server
scripts/build-site.sh
data="$(mktemp -d)"
DATABASE_URL="sqlite:$data/continuum.db" CONTINUUM_BIND="127.0.0.1:$port" CONTINUUM_SITE_ROOT="$PWD/target/site" \
  CONTINUUM_DEMO_DATA=true CONTINUUM_LOG=warn CONTINUUM_SECURE_COOKIES=false \
  target/release/continuum serve &
server=$!
trap 'kill "$server" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.2
done
cd end2end/lighthouse
npm ci --no-audit --no-fund --silent
CHROME_PATH=/usr/bin/chromium node run.mjs "http://127.0.0.1:$port" ../../BENCHMARKS.md
