#!/usr/bin/env bash
# What the inspector page (www/) needs beyond scripts/install.sh: Debian's Chromium for its browser
# tests and the pinned playwright-core of www/package-lock.json (no browser download: the tests
# drive /usr/bin/chromium). Idempotent: each step checks before it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! [ -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

want=$(node -p 'require("./www/package-lock.json").packages["node_modules/playwright-core"].version')
have=$(node -p 'try { require("./www/node_modules/playwright-core/package.json").version } catch { "" }')
if [ "$want" != "$have" ]; then
  npm --prefix www ci --no-audit --no-fund
fi
echo "inspector tools: chromium $(test -x /usr/bin/chromium && echo present), playwright-core $want"
