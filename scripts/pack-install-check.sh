#!/usr/bin/env bash
# Installs the published packages as a user gets them: builds and packs
# mcp-common, mcp-node and mcp-backend, installs the tarballs with npm into a
# new backend in a temporary directory, with the NEWEST Backstage release from
# the registry (the `latest` dist-tag of each @backstage package), boots it,
# calls the whoami tool over MCP with a static token, and checks that the tree
# holds one copy of @backstage/backend-plugin-api (two copies mean two
# registries of service refs, and a plugin that cannot find its services).
#
#   bash scripts/pack-install-check.sh        (PACK_CHECK_KEEP=1 keeps the directory)
#
# Needs Node.js, npm and the registry; better-sqlite3 compiles from source
# when no prebuilt binary can be downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
yarn=(node "$root/.yarn/releases/yarn-4.18.1.cjs")
packages=(mcp-common mcp-node mcp-backend)
started=$SECONDS

log() { echo "[pack-check] $*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/mcp-pack-check.XXXXXX")
backend_pid=
cleanup() {
  if [ -n "$backend_pid" ]; then kill -- "-$backend_pid" 2>/dev/null || true; fi
  if [ "${PACK_CHECK_KEEP:-}" = 1 ]; then log "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# better-sqlite3 compiles against the local Node headers (node-gyp cannot
# always download them), as scripts/bootstrap.js does for the workspace.
if [ -z "${npm_config_nodedir:-}" ]; then
  for dir in "$(dirname "$(dirname "$(command -v node)")")" /usr; do
    if [ -f "$dir/include/node/node.h" ]; then export npm_config_nodedir=$dir; break; fi
  done
fi

log "building and packing ${packages[*]}"
"${yarn[@]}" tsc --pretty false >&2
for name in "${packages[@]}"; do
  "${yarn[@]}" workspace "@backstage-mcp/plugin-$name" build >&2
  # yarn pack runs prepack (publishConfig applied, config.d.ts compiled to
  # config.schema.json) and replaces workspace: ranges with versions.
  "${yarn[@]}" workspace "@backstage-mcp/plugin-$name" pack --out "$work/$name.tgz" >/dev/null
  files=$(tar -tzf "$work/$name.tgz")
  grep -qx 'package/dist/index.cjs.js' <<<"$files" || fail "$name.tgz has no dist/index.cjs.js"
  if grep -q '^package/src/' <<<"$files"; then fail "$name.tgz ships src/"; fi
done
log "packed in $((SECONDS - started)) s"

latest() { npm view "$1" dist-tags.latest; }
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
token="pack-check-$RANDOM$RANDOM"
app="$work/app"
mkdir -p "$app"

# The tarballs' versions are not on the registry: the overrides point every
# dependency on them at the tarballs too.
node - "$app" "$work" <<EOF
const fs = require('node:fs');
const [app, work] = process.argv.slice(2);
const tarballs = Object.fromEntries(
  ['mcp-common', 'mcp-node', 'mcp-backend'].map(name => [
    '@backstage-mcp/plugin-' + name,
    'file:' + work + '/' + name + '.tgz',
  ]),
);
fs.writeFileSync(app + '/package.json', JSON.stringify({
  name: 'mcp-pack-check',
  private: true,
  dependencies: {
    '@backstage/backend-defaults': '$(latest @backstage/backend-defaults)',
    '@backstage/plugin-catalog-backend': '$(latest @backstage/plugin-catalog-backend)',
    'better-sqlite3': '^12.0.0',
    ...tarballs,
  },
  overrides: Object.fromEntries(Object.keys(tarballs).map(name => [name, '\$' + name])),
}, null, 2));
EOF

cat >"$app/index.js" <<'EOF'
const { createBackend } = require('@backstage/backend-defaults');

const backend = createBackend();
backend.add(require('@backstage/plugin-catalog-backend').default);
backend.add(require('@backstage-mcp/plugin-mcp-backend').default);
backend.start();
EOF

cat >"$app/app-config.yaml" <<EOF
backend:
  baseUrl: http://127.0.0.1:$port
  listen:
    host: 127.0.0.1
    port: $port
  database:
    client: better-sqlite3
    connection: ':memory:'
  auth:
    externalAccess:
      - type: static
        options:
          token: $token
          subject: pack-check
EOF

log "installing into $app with @backstage/backend-defaults $(latest @backstage/backend-defaults)"
install_started=$SECONDS
(cd "$app" && npm install --no-audit --no-fund --loglevel=error >&2)
log "installed in $((SECONDS - install_started)) s"

# One copy: every path npm lists for the package is the same directory.
copies=$(cd "$app" && npm ls --all --parseable @backstage/backend-plugin-api | sort -u | grep -c . || true)
(cd "$app" && npm ls @backstage/backend-plugin-api --all) >&2 || true
[ "$copies" -eq 1 ] || fail "$copies copies of @backstage/backend-plugin-api"
# Other duplicated @backstage packages are reported, not fatal: a plugin may
# lag behind a release on a package whose major changed.
(cd "$app" && npm query '[name^="@backstage/"]' | node -e '
  const nodes = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const versions = {};
  for (const n of nodes) (versions[n.name] ??= new Set()).add(n.version);
  for (const [name, v] of Object.entries(versions))
    if (v.size > 1) console.error(`[pack-check] note: ${name} installed in versions ${[...v].join(", ")}`);
')

log "booting the backend on port $port"
(cd "$app" && exec setsid node index.js --config app-config.yaml >"$work/backend.log" 2>&1) &
backend_pid=$!
url="http://127.0.0.1:$port/api/mcp"
for _ in $(seq 1 90); do
  if curl -s -o /dev/null "http://127.0.0.1:$port/.backstage/health/v1/readiness"; then break; fi
  if ! kill -0 "$backend_pid" 2>/dev/null; then tail -n 40 "$work/backend.log" >&2; fail "the backend exited"; fi
  sleep 1
done
for _ in $(seq 1 60); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/.backstage/health/v1/readiness" || true)
  [ "$status" = 200 ] && break
  sleep 1
done
[ "$status" = 200 ] || { tail -n 40 "$work/backend.log" >&2; fail "the backend is not ready"; }

answer=$(curl -s -X POST "$url" \
  -H 'Content-Type: application/json' \
  -H 'Accept: application/json, text/event-stream' \
  -H 'MCP-Protocol-Version: 2025-11-25' \
  -H "Authorization: Bearer $token" \
  -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"whoami","arguments":{}}}')
if ! grep -Eq 'subject\\?":\\?"pack-check"' <<<"$answer"; then
  echo "$answer" >&2
  tail -n 40 "$work/backend.log" >&2
  fail "whoami did not answer as pack-check"
fi
log "whoami answered as pack-check; one copy of @backstage/backend-plugin-api"
log "passed in $((SECONDS - started)) s"
