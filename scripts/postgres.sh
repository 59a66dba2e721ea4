#!/usr/bin/env bash
# Starts the local PostgreSQL cluster if it is stopped and makes sure the role and database the tests use
# exist. Needs Debian's postgresql package (scripts/bootstrap.sh test installs it) and root.
set -euo pipefail

ROLE="${CONTINUUM_PG_ROLE:-continuum}"
PASSWORD="${CONTINUUM_PG_PASSWORD:-continuum}"
DB="${CONTINUUM_PG_DB:-continuum}"

version="$(ls /usr/lib/postgresql/ 2>/dev/null | sort -n | tail -1)"
if [ -z "$version" ]; then
  echo "postgres: PostgreSQL is not installed; run scripts/bootstrap.sh test" >&2
  exit 1
fi
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start
fi
as_postgres() { runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtAc "$1"; }
for _ in $(seq 1 30); do as_postgres "SELECT 1" >/dev/null 2>&1 && break; sleep 0.5; done
if [ "$(as_postgres "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]; then
  as_postgres "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
fi
if [ "$(as_postgres "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  as_postgres "CREATE DATABASE $DB OWNER $ROLE"
fi
echo "postgres: $version running; postgres://$ROLE:***@127.0.0.1:5432/$DB"
