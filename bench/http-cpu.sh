#!/usr/bin/env bash
# Server CPU time per request (user+system from /proc/<pid>/stat around a wrk run), for the hello baseline,
# the pay page and link creation. CPU per request hardly moves when other processes share the cores, so it
# is the figure to compare between code changes; bench/http-bench.sh gives the req/s ratios.
#   bench/http-cpu.sh [sqlite|postgres]   (env: DURATION=5s, ROUNDS=3, SERVER_DIR=<published server to reuse>)
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-sqlite}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
# Warm-up per endpoint before the rounds: tiered JIT of the create path (dynamic PGO, then tier 1) still
# takes ~10 % of the CPU 6 s after start; measure the steady state.
WARMUP=${WARMUP:-10s}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }
work=$(mktemp -d /tmp/paylink-cpu.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; [ "$db" = postgres ] && pg_test_stop 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
source scripts/lib/pg.sh
source bench/lib/wrk-scripts.sh

server=${SERVER_DIR:-}
if [ -z "$server" ]; then
  server="$work/server"; echo "Publishing (Release)…" >&2
  dotnet publish src/Paylink.Server -c Release -o "$server" -nologo -v q >/dev/null
fi
hello="$work/hello"
dotnet publish bench/Paylink.Bench.Hello -c Release -o "$hello" -nologo -v q >/dev/null

wait_up() { for _ in $(seq 200); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server at $1 did not start" >&2; return 1; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
# cpu_per_req PID wrk-args… → "µs/request req/s p99"
cpu_per_req() {
  local pid=$1; shift
  local t0 t1 out n
  t0=$(ticks "$pid")
  out=$(wrk -t2 -c64 -d"$DURATION" --latency "$@")
  t1=$(ticks "$pid")
  n=$(awk '/requests in/ {print $1}' <<<"$out")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  awk -v d=$((t1 - t0)) -v n="$n" -v hz="$hz" -v rps="$rps" -v p99="$p99" 'BEGIN {printf "%.0f µs/req  %.0f req/s  p99 %s\n", d * 1e6 / hz / n, rps, p99}'
}

port=5093
env=(PAYLINK_DATA_DIR="$work/data" PAYLINK_PublicBaseUrl="http://127.0.0.1:$port" PAYLINK_PayPage__RateLimitPerMinute=0
     Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production)
if [ "$db" = postgres ]; then
  PG_DURABLE=1 pg_test_start
  env+=(PAYLINK_Database__Provider=postgres PAYLINK_Database__ConnectionString="$PAYLINK_TEST_POSTGRES;Maximum Pool Size=${PG_POOL:-100}")
fi
dotnet "$hello/Paylink.Bench.Hello.dll" --urls http://127.0.0.1:5094 >/dev/null 2>&1 & pids+=($!); hpid=$!
env "${env[@]}" ${SERVER_ENV:-} dotnet "$server/Paylink.Server.dll" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 & pids+=($!); spid=$!
wait_up http://127.0.0.1:5094/; wait_up "http://127.0.0.1:$port/healthz"
key=$(cat "$work/data/demo-api-key.txt")
codes=()
for _ in $(seq 200); do
  codes+=("$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/links" -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
    -d '{"amount":250000,"currency":"RUB","description":"Маникюр с покрытием","items":[{"name":"Маникюр","quantity":1,"amount":250000}]}' \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')")
done
write_wrk_scripts "$work" "http://127.0.0.1:$port" "$key" "${codes[@]}"
wrk -t2 -c64 -d"$WARMUP" http://127.0.0.1:5094/ >/dev/null
wrk -t2 -c64 -d"$WARMUP" -s "$work/page.lua" "http://127.0.0.1:$port/" >/dev/null
[ -n "${SKIP_CREATE:-}" ] || wrk -t2 -c64 -d"$WARMUP" -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/links" >/dev/null
for r in $(seq "$ROUNDS"); do
  echo "round $r [$db]"
  echo "  hello:  $(cpu_per_req "$hpid" http://127.0.0.1:5094/)"
  echo "  page:   $(cpu_per_req "$spid" -s "$work/page.lua" "http://127.0.0.1:$port/")"
  [ -n "${SKIP_CREATE:-}" ] || echo "  create: $(cpu_per_req "$spid" -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/links")"
done
