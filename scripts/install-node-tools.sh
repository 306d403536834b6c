#!/usr/bin/env bash
# Installs what the npm package (js/) needs to build and test: the devDependencies pinned in
# js/package-lock.json (npm binaryen 132 for wasm-opt — never Debian's binaryen 108 —, workerd,
# deno, playwright-core, typescript). Chromium and wasm-bindgen-cli come from scripts/install.sh.
# Idempotent: installs only when js/node_modules was not installed from this very lockfile.
#
# `npm install`, not `npm ci`: the registry this machine reaches has at times served only the
# Linux builds of deno's and workerd's per-platform optional packages, and a lockfile written then
# lacks the macOS/Windows entries, which `npm ci` refuses ("Missing: @deno/darwin-arm64@ from lock
# file"). `npm install` installs exactly the locked versions either way; if it rewrites the
# lockfile, the check below says so.
set -euo pipefail
cd "$(dirname "$0")/../js"

want=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.svidkit-lock.sha256
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "js/node_modules matches js/package-lock.json"
else
  npm install --no-audit --no-fund
  if [ "$(sha256sum package-lock.json | cut -d' ' -f1)" != "$want" ]; then
    echo "install-node-tools: npm install changed js/package-lock.json; commit the new lockfile if package.json changed" >&2
  fi
  echo "$want" > "$stamp"
fi

# The tools the suites call must run.
for tool in wasm-opt workerd deno tsc; do
  [ -x "node_modules/.bin/$tool" ] || { echo "install-node-tools: node_modules/.bin/$tool missing" >&2; exit 1; }
done
echo "wasm-opt: $(node_modules/.bin/wasm-opt --version)"
echo "workerd: $(node_modules/.bin/workerd --version)"
echo "deno: $(node_modules/.bin/deno --version | head -1)"
