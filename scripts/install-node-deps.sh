#!/usr/bin/env bash
# Install the PWA's npm dependencies from the lockfile when there are any.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f pwa/package-lock.json ] && [ ! -d pwa/node_modules ]; then
  (cd pwa && npm ci --no-audit --no-fund --silent)
fi
