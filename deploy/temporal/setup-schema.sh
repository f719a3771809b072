#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas up to the version shipped in
# this admin-tools image. Each step is idempotent (existing databases and applied versions are
# skipped), so the job runs on every `docker compose up` and doubles as the schema upgrade after the
# Temporal images are bumped.
set -eu

: "${SQL_HOST:?set SQL_HOST to the PostgreSQL host name}"
: "${SQL_USER:?set SQL_USER to the PostgreSQL user}"
: "${SQL_PASSWORD_FILE:?set SQL_PASSWORD_FILE to the file holding the PostgreSQL password}"
# temporal-sql-tool reads the connection from SQL_* variables; its default port is MySQL's.
export SQL_PORT="${SQL_PORT:-5432}"
export SQL_PLUGIN=postgres12
SQL_PASSWORD="$(cat "$SQL_PASSWORD_FILE")"
export SQL_PASSWORD
SCHEMA_ROOT="${SCHEMA_ROOT:-/etc/temporal/schema/postgresql/v12}"

migrate() { # migrate DATABASE SCHEMA_DIR_NAME
  echo "schema: database $1"
  temporal-sql-tool --db "$1" create
  # Only records version 0.0 on a new database; an existing one keeps its version.
  temporal-sql-tool --db "$1" setup-schema -v 0.0
  temporal-sql-tool --db "$1" update-schema -d "$SCHEMA_ROOT/$2/versioned"
}

migrate "${TEMPORAL_DB:-temporal}" temporal
migrate "${TEMPORAL_VISIBILITY_DB:-temporal_visibility}" visibility
echo "schema: up to date"
