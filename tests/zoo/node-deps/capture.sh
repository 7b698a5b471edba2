#!/bin/sh
# npm refusing a dependency tree whose peer ranges do not fit (ERESOLVE), captured from real
# installs: react-dom 18 beside react 17, eslint-config-airbnb-base 15 beside eslint 9, and the
# first again behind a compose prefix (`web_1  | `, as `docker compose up` shows it).
# Needs: node + npm, and the npm registry.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-node-deps
rm -rf "$work"
trap 'rm -rf "$work"' EXIT

project() {  # project NAME PACKAGE_JSON
    mkdir -p "$work/$1"
    printf '%s\n' "$2" > "$work/$1/package.json"
}

project react '{"name":"app","version":"1.0.0","dependencies":{"react":"17.0.2","react-dom":"18.2.0"}}'
project eslint '{"name":"web","version":"1.0.0","devDependencies":{"eslint":"9.0.0","eslint-config-airbnb-base":"15.0.0"}}'

(cd "$work/react" && npm install --no-audit --no-fund) > "$here/npm-eresolve-react-peer.log" 2>&1 || true
(cd "$work/eslint" && npm install --no-audit --no-fund) > "$here/npm-eresolve-eslint-peer.log" 2>&1 || true
(cd "$work/react" && npm install --no-audit --no-fund 2>&1 | sed 's/^/web_1  | /') \
    > "$here/npm-eresolve-compose.log" 2>&1 || true
