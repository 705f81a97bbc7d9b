#!/usr/bin/env bash
# Installs the published packages as a user gets them: builds and packs
# mcp-common, mcp-node and mcp-backend, installs the tarballs with npm into a
# new backend in a temporary directory, with the NEWEST Backstage release from
# the registry (the `latest` dist-tag of @backstage/backend-defaults and
# @backstage/plugin-catalog-backend; npm resolves everything else, our
# plugins' dependencies included, within their ranges), boots it, and drives
# it over MCP with a static token (scripts/pack-install-check-client.js:
# initialize, whoami in both protocol eras, catalog_search finding an entity
# the catalog read from a file). The tree must hold one copy of
# @backstage/backend-plugin-api (two copies mean two registries of service
# refs, and a plugin that cannot find its services) and of
# @backstage/plugin-catalog-node (two copies mean that our range left out the
# release's major).
#
#   bash scripts/pack-install-check.sh [--no-tsc]
#
# --no-tsc: dist-types is fresh (CI's type-check gate wrote it).
# PACK_CHECK_KEEP=1 keeps the temporary directory. With MCP_TEST_POSTGRES_URL
# (scripts/test-services.sh) the backend keeps its databases there, under a
# prefix of its own that is dropped afterwards, and nothing native is
# compiled; without it, better-sqlite3 is installed, and compiles from source
# when no prebuilt binary can be downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
yarn=(node "$root/.yarn/releases/yarn-4.18.1.cjs")
packages=(mcp-common mcp-node mcp-backend)
entity=pack-check-service
started=$SECONDS

log() { echo "[pack-check] $*" >&2; }
fail() {
  log "FAILED: $*"
  exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/mcp-pack-check.XXXXXX")
app="$work/app"
backend_pid=
install_pid=
db_prefix=
cleanup() {
  if [ -n "$backend_pid" ]; then kill -- "-$backend_pid" 2>/dev/null || true; fi
  if [ -n "$install_pid" ]; then kill -- "-$install_pid" 2>/dev/null || true; fi
  if [ -n "$db_prefix" ] && [ -d "$app/node_modules/pg" ]; then
    (cd "$app" && node - "$MCP_TEST_POSTGRES_URL" "$db_prefix" <<'EOF') || log "could not drop the databases $db_prefix*"
const { Client } = require('pg');
const [connection, prefix] = process.argv.slice(2);
const url = new URL(connection);
url.pathname = '/postgres';
(async () => {
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  const { rows } = await client.query(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
  for (const { datname } of rows) {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
  }
  await client.end();
})().catch(error => { console.error(error.message); process.exit(1); });
EOF
  fi
  if [ "${PACK_CHECK_KEEP:-}" = 1 ]; then
    log "kept $work"
  else
    # Deleting some 900 installed packages takes a minute or more on a busy
    # machine; nothing waits for it.
    rm -rf "$work" </dev/null >/dev/null 2>&1 &
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT

# --- the newest release, installed while the plugins build -------------------
latest() {
  npm view "$1" dist-tags.latest 2>/dev/null || { sleep 5 && npm view "$1" dist-tags.latest; }
}
defaults_version=$(latest @backstage/backend-defaults)
catalog_version=$(latest @backstage/plugin-catalog-backend)
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
token="pack-check-$RANDOM$RANDOM$RANDOM"
mkdir -p "$app"

if [ -n "${MCP_TEST_POSTGRES_URL:-}" ]; then
  db_prefix="mcp_pack_check_$(printf '%08x' "$RANDOM$RANDOM")_"
  database_driver='"pg": "^8.11.3"'
  database_config="client: pg
    connection: $MCP_TEST_POSTGRES_URL
    prefix: $db_prefix"
else
  database_driver='"better-sqlite3": "^12.0.0"'
  database_config="client: better-sqlite3
    connection: ':memory:'"
fi

# First the backend as its owner has it, then our packages added to it, as
# a user adds a plugin to an existing backend. The first install, which runs
# while the plugins build, also fetches our packages' dependencies from
# outside Backstage (the MCP SDK, the HTML and Markdown libraries...), so
# that adding the tarballs is quick; the @backstage ones are left for npm to
# resolve from our ranges, as it does for a user. The tarballs' versions are
# not on the registry: the overrides point every dependency on them at the
# tarballs too.
third_party=$(node -e '
  const deps = {};
  for (const name of process.argv.slice(1)) {
    const pkg = require(`./plugins/${name}/package.json`);
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {}))
      if (!/^@backstage(-mcp)?\//.test(dep)) deps[dep] = range;
  }
  for (const [dep, range] of Object.entries(deps)) console.log(`  "${dep}": "${range}",`);
' "${packages[@]}")
app_package() {
  local ours=${1:-} name
  {
    echo '{ "name": "mcp-pack-check", "private": true, "dependencies": {'
    echo "$third_party"
    if [ -n "$ours" ]; then
      for name in "${packages[@]}"; do
        echo "  \"@backstage-mcp/plugin-$name\": \"file:$work/$name.tgz\","
      done
    fi
    echo "  \"@backstage/backend-defaults\": \"$defaults_version\","
    echo "  \"@backstage/plugin-catalog-backend\": \"$catalog_version\","
    echo "  $database_driver }"
    if [ -n "$ours" ]; then
      echo ', "overrides": {'
      for name in "${packages[@]}"; do
        echo "  \"@backstage-mcp/plugin-$name\": \"\$@backstage-mcp/plugin-$name\"$([ "$name" = mcp-backend ] || echo ,)"
      done
      echo '}'
    fi
    echo '}'
  } | node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(0, "utf8")), null, 2) + "\n")'
}

# Most of an install is waiting on the registry for small files: more
# requests in flight than npm's default 15 shorten it. A registry hiccup (a
# reset connection, a 5xx) is worth one more try.
npm_install() {
  local what=$1 attempt
  for attempt in 1 2; do
    if (cd "$app" && npm install --no-audit --no-fund --loglevel=error --maxsockets=48 >&2); then
      return 0
    fi
    [ "$attempt" = 1 ] && log "npm install ($what) failed; retrying once"
  done
  return 1
}

app_package >"$app/package.json"
log "installing @backstage/backend-defaults $defaults_version and @backstage/plugin-catalog-backend $catalog_version into $app"
install_started=$SECONDS
# In a process group of its own, so that a failed build stops it too.
export app
export -f log npm_install
setsid -w bash -c 'npm_install "the release"' >"$work/install.log" 2>&1 &
install_pid=$!

# --- build and pack ----------------------------------------------------------
if [ "${1:-}" != --no-tsc ]; then
  log "type check (writes dist-types)"
  "${yarn[@]}" tsc --pretty false >&2
fi
log "building and packing ${packages[*]}"
# The builds read dist-types, not each other's dist: they run side by side.
build_pids=()
for name in "${packages[@]}"; do
  "${yarn[@]}" workspace "@backstage-mcp/plugin-$name" build >&2 &
  build_pids+=($!)
done
for pid in "${build_pids[@]}"; do wait "$pid" || fail "a build failed (above)"; done
for name in "${packages[@]}"; do
  # yarn pack runs prepack (publishConfig applied, config.d.ts compiled to
  # config.schema.json) and postpack, and replaces workspace: ranges with
  # versions, as `yarn npm publish` would.
  "${yarn[@]}" workspace "@backstage-mcp/plugin-$name" pack --out "$work/$name.tgz" >/dev/null
  files=$(tar -tzf "$work/$name.tgz")
  grep -qx 'package/dist/index.cjs.js' <<<"$files" || fail "$name.tgz has no dist/index.cjs.js"
  if grep -q '^package/src/' <<<"$files"; then fail "$name.tgz ships src/"; fi
done
log "packed in $((SECONDS - started)) s"

if ! wait "$install_pid"; then
  install_pid=
  cat "$work/install.log" >&2
  fail "npm install of the release failed twice"
fi
install_pid=
log "release installed $((SECONDS - install_started)) s after it began"

cat >"$app/index.js" <<'EOF'
const { createBackend } = require('@backstage/backend-defaults');

const backend = createBackend();
backend.add(require('@backstage/plugin-catalog-backend').default);
backend.add(require('@backstage-mcp/plugin-mcp-backend').default);
backend.start();
EOF

cat >"$app/entities.yaml" <<EOF
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: $entity
  description: Read by the catalog of the pack-and-install check
spec:
  type: service
  lifecycle: experimental
  owner: group:default/pack-check
EOF

cat >"$app/app-config.yaml" <<EOF
backend:
  baseUrl: http://127.0.0.1:$port
  listen:
    host: 127.0.0.1
    port: $port
  database:
    $database_config
  auth:
    externalAccess:
      - type: static
        options:
          token: $token
          subject: pack-check
catalog:
  locations:
    - type: file
      target: ./entities.yaml
EOF

log "adding the tarballs"
added_started=$SECONDS
app_package ours >"$app/package.json"
npm_install "the tarballs" || fail "npm install of the tarballs failed twice"
log "tarballs added in $((SECONDS - added_started)) s"

# --- one copy of the packages that must be shared ----------------------------
versions=$(cd "$app" && npm query '[name^="@backstage/"]' | node -e '
  const nodes = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const versions = {};
  for (const n of nodes) (versions[n.name] ??= new Set()).add(n.version);
  for (const [name, v] of Object.entries(versions).sort())
    console.log(name, [...v].sort().join(" "));
')
log "installed release: $(grep -E '^@backstage/(backend-plugin-api|plugin-catalog-node|plugin-scaffolder-node|backend-defaults) ' <<<"$versions" | tr '\n' ';')"
for name in @backstage/backend-plugin-api @backstage/plugin-catalog-node; do
  found=$(awk -v n="$name" '$1 == n { print NF - 1 }' <<<"$versions")
  if [ "${found:-0}" -ne 1 ]; then
    (cd "$app" && npm ls "$name" --all) >&2 || true
    fail "${found:-0} copies of $name"
  fi
done
# Other duplicated @backstage packages are reported, not fatal: a plugin of
# the release may lag behind on a package whose major changed.
awk 'NF > 2 { print "[pack-check] note: " $1 " installed in versions " $2 ", " $3 }' <<<"$versions" >&2

# --- boot and call -----------------------------------------------------------
log "booting the backend on port $port"
boot_started=$SECONDS
(cd "$app" && exec setsid node index.js --config app-config.yaml >"$work/backend.log" 2>&1) &
backend_pid=$!
status=
for _ in $(seq 1 180); do
  status=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/.backstage/health/v1/readiness" || true)
  [ "$status" = 200 ] && break
  if ! kill -0 "$backend_pid" 2>/dev/null; then tail -n 40 "$work/backend.log" >&2; fail "the backend exited"; fi
  sleep 1
done
[ "$status" = 200 ] || { tail -n 40 "$work/backend.log" >&2; fail "the backend is not ready after 180 s"; }
log "ready after $((SECONDS - boot_started)) s"

if ! node "$root/scripts/pack-install-check-client.js" "http://127.0.0.1:$port/api/mcp" "$token" pack-check "$entity"; then
  tail -n 40 "$work/backend.log" >&2
  fail "the MCP calls did not answer as expected"
fi
log "passed in $((SECONDS - started)) s"
