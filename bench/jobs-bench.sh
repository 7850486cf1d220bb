#!/usr/bin/env bash
# Job throughput (no-op and webhook handler against a local Kestrel receiver) and pickup latency,
# on SQLite and on a throw-away PostgreSQL (fsync off, like the test cluster).
# Usage: bench/jobs-bench.sh [--jobs 20000] [--webhooks 3000] [--samples 300] [--concurrency 32]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/pg.sh
dotnet build -c Release bench/Paylink.Bench -nologo -clp:ErrorsOnly >/dev/null
pg_test_start
trap pg_test_stop EXIT
for db in sqlite postgres; do
  dotnet bench/Paylink.Bench/bin/Release/net10.0/Paylink.Bench.dll jobs --db "$db" "$@"
done
