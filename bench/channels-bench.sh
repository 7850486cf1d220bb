#!/usr/bin/env bash
# Telegram sending throughput (queued → sent through the job runner to a local fake Bot API, respecting the
# 30 msg/s per-bot limit) and send-call → received latency, on SQLite and a throw-away PostgreSQL.
# Usage: bench/channels-bench.sh [--messages 600] [--samples 100] [--concurrency 32]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/pg.sh
dotnet build -c Release bench/Paylink.Bench -nologo -clp:ErrorsOnly >/dev/null
pg_test_start
trap pg_test_stop EXIT
for db in sqlite postgres; do
  dotnet bench/Paylink.Bench/bin/Release/net10.0/Paylink.Bench.dll channels --db "$db" "$@"
done
