#!/usr/bin/env bash
# The hub the browser tests drive: built from this checkout, on a fresh SQLite data directory
# seeded with the demo, serving the built client. Access tokens last 10 s, so the tests meet
# expiry and refresh for real. KHUB_BIN overrides the binary (CI passes the one it built).
set -euo pipefail
cd "$(dirname "$0")/.."
data="$PWD/e2e/.hub-data"
rm -rf "$data"
mkdir -p "$data"
bin="${KHUB_BIN:-../target/debug/khub}"
export KHUB_DATA_DIR="$data" KHUB_WEB_DIR="$PWD/dist" KHUB_BIND="127.0.0.1:${KHUB_E2E_PORT:-8091}"
export KHUB_ACCESS_TOKEN_TTL_SECS=10 KHUB_AUTH_ATTEMPTS_PER_ADDRESS=100000 KHUB_LOG_LEVEL=warn
env -u DATABASE_URL -u REDIS_URL "$bin" seed --demo > "$data/seed.log"
exec env -u DATABASE_URL -u REDIS_URL "$bin" serve
