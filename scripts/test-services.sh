#!/usr/bin/env bash
# Starts the services that the shared-state tests need: a PostgreSQL cluster
# and a Redis server, both on 127.0.0.1 only, on ports of their own (so that a
# PostgreSQL or Redis already on the machine is left alone). Installs Debian's
# `postgresql` and `redis-server` packages when they are missing. Run it as
# root (CI and the development machines are root); run it as often as you
# like: what already runs is kept.
#
# Progress goes to stderr; stdout is only the lines to evaluate:
#
#   eval "$(bash scripts/test-services.sh)"
#   export MCP_TEST_POSTGRES_URL=postgres://mcp_test:...@127.0.0.1:54329
#   export MCP_TEST_REDIS_URL=redis://127.0.0.1:63799
#
# Ports can be changed with MCP_TEST_POSTGRES_PORT and MCP_TEST_REDIS_PORT.
# Test-only settings: the cluster trades durability for speed (fsync off) and
# Redis keeps nothing on disk.
set -euo pipefail

PG_PORT=${MCP_TEST_POSTGRES_PORT:-54329}
REDIS_PORT=${MCP_TEST_REDIS_PORT:-63799}
PG_CLUSTER=mcp_test
PG_ROLE=mcp_test
PG_PASSWORD=mcp_test
REDIS_DIR=/var/tmp/mcp-test-redis

log() { echo "[test-services] $*" >&2; }
fail() {
  log "error: $*"
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "run as root (it installs packages and starts services as their own users)"

# --- packages ---------------------------------------------------------------
# The package lists are refreshed only when the install fails without them.
apt_install() {
  local apt_log
  apt_log=$(mktemp)
  export DEBIAN_FRONTEND=noninteractive
  log "installing $* (Debian packages)"
  if ! apt-get install -y -qq "$@" >"$apt_log" 2>&1; then
    if ! { apt-get update -qq && apt-get install -y -qq "$@"; } >>"$apt_log" 2>&1; then
      cat "$apt_log" >&2
      rm -f "$apt_log"
      fail "could not install $*"
    fi
  fi
  rm -f "$apt_log"
}

missing=()
command -v pg_createcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 ||
  missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || missing+=(redis-server)
# ss: this script checks ports with it, the tests see which process holds which connection.
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# --- PostgreSQL -------------------------------------------------------------
# Debian's server (/usr/lib/postgresql/<version>), managed with its cluster
# tools; a `postgres` elsewhere on the PATH is not used.
PG_VERSION=$(ls -1 /usr/lib/postgresql | grep -E '^[0-9]+$' | sort -n | tail -n 1)
[ -n "$PG_VERSION" ] || fail "no PostgreSQL server under /usr/lib/postgresql"

port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | head -n 1; }

if ! pg_lsclusters -h "$PG_VERSION" "$PG_CLUSTER" >/dev/null 2>&1; then
  if [ -n "$(port_owner "$PG_PORT")" ]; then
    fail "port $PG_PORT is taken ($(port_owner "$PG_PORT")): choose another with MCP_TEST_POSTGRES_PORT"
  fi
  log "creating PostgreSQL $PG_VERSION cluster '$PG_CLUSTER' on 127.0.0.1:$PG_PORT"
  pg_createcluster --port "$PG_PORT" --start-conf manual "$PG_VERSION" "$PG_CLUSTER" >/dev/null
  # Debian's postgresql.conf reads conf.d/ last. Two replicas hold a pool per
  # plugin database each: room for more connections than the default 100.
  cat >"/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/mcp-test.conf" <<'CONF'
listen_addresses = '127.0.0.1'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
fi
# The port of the cluster as created (it may predate a changed variable).
PG_PORT=$(pg_lsclusters -h "$PG_VERSION" "$PG_CLUSTER" | awk '{print $3}')
PG_STATUS=$(pg_lsclusters -h "$PG_VERSION" "$PG_CLUSTER" | awk '{print $4}')

if [ "$PG_STATUS" != online ]; then
  if [ -n "$(port_owner "$PG_PORT")" ]; then
    fail "port $PG_PORT is taken ($(port_owner "$PG_PORT")) while cluster '$PG_CLUSTER' is down"
  fi
  log "starting PostgreSQL cluster '$PG_CLUSTER'"
  # pg_ctlcluster runs the server as the cluster's owner (postgres), never root.
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start ||
    { tail -n 50 "/var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log" >&2 || true; fail "PostgreSQL did not start"; }
fi

for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || fail "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"

# The tests' role: it creates (and drops) one database per plugin and run.
runuser -u postgres -- psql -q -X -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres >/dev/null <<SQL
SET client_min_messages = warning;
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE LOGIN CREATEDB;
  END IF;
END
\$\$;
ALTER ROLE $PG_ROLE WITH LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
-- DROP DATABASE ... WITH (FORCE) at the end of a run may have to end
-- connections that are not the role's own.
GRANT pg_signal_backend TO $PG_ROLE;
SQL
PGPASSWORD=$PG_PASSWORD psql -q -X -h 127.0.0.1 -p "$PG_PORT" -U "$PG_ROLE" -d postgres -c 'SELECT 1' >/dev/null ||
  fail "cannot log in to PostgreSQL as $PG_ROLE over TCP"
log "PostgreSQL $PG_VERSION ready on 127.0.0.1:$PG_PORT (role $PG_ROLE)"

# --- Redis ------------------------------------------------------------------
redis_up() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]; }

if ! redis_up; then
  if [ -n "$(port_owner "$REDIS_PORT")" ]; then
    fail "port $REDIS_PORT is taken ($(port_owner "$REDIS_PORT")): choose another with MCP_TEST_REDIS_PORT"
  fi
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  mkdir -p "$REDIS_DIR"
  chown redis:redis "$REDIS_DIR" 2>/dev/null || true
  redis_user=root
  id redis >/dev/null 2>&1 && redis_user=redis
  # No persistence: nothing is saved, nothing is loaded.
  runuser -u "$redis_user" -- redis-server \
    --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --daemonize yes --dir "$REDIS_DIR" \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" \
    --save '' --appendonly no
fi

for _ in $(seq 1 60); do
  redis_up && break
  sleep 0.5
done
redis_up || { tail -n 50 "$REDIS_DIR/redis.log" >&2 || true; fail "Redis does not answer on 127.0.0.1:$REDIS_PORT"; }
log "Redis $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" info server | sed -n 's/^redis_version:\([^\r]*\).*/\1/p') ready on 127.0.0.1:$REDIS_PORT"

echo "export MCP_TEST_POSTGRES_URL=postgres://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$PG_PORT"
echo "export MCP_TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
