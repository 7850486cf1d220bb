#!/usr/bin/env bash
# Adds a migration to both migration sets (SQLite and PostgreSQL) from the one model.
# Usage: scripts/add-migration.sh Name
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh MigrationName}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
dotnet restore src/Paylink.Core >/dev/null
dotnet ef migrations add "$name" --project src/Paylink.Core --context SqliteAppDbContext --output-dir Data/Migrations/Sqlite
dotnet ef migrations add "$name" --project src/Paylink.Core --context PostgresAppDbContext --output-dir Data/Migrations/Postgres
