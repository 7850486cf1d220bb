#!/usr/bin/env bash
# HTTP benchmarks for payment links with wrk, as ratios to a minimal ASP.NET Core "hello" endpoint
# measured in the same run (these machines are noisy: the ratio is what to compare across runs).
#   bench/http-bench.sh [sqlite|postgres|both]   (default both; needs wrk and, for postgres, PostgreSQL)
# PostgreSQL runs with the documented pool (PG_POOL, default 8 = Maximum Pool Size; docs/deployment.md; before issue 23: 100).
# After a warm-up of each endpoint (WARMUP, default 10s), each round: hello GET, pay page GET (200 links in rotation), hello GET, POST /api/v1/links; 64 connections, 2 threads.
# Prints medians over ROUNDS rounds (default 3) and writes them to bench/results/http-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
which=${1:-both}
ROUNDS=${ROUNDS:-3}
# Warm-up per endpoint before the rounds: tiered JIT of the create path (dynamic PGO, then tier 1) still
# takes ~10 % of the CPU 6 s after start; measure the steady state.
WARMUP=${WARMUP:-10s}
DURATION=${DURATION:-8s}
command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }

work=$(mktemp -d /tmp/paylink-bench.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; pg_test_stop 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
source scripts/lib/pg.sh
source bench/lib/wrk-scripts.sh

# PUBLISHED=dir reuses an earlier publish (dir/server, dir/hello).
pub=${PUBLISHED:-$work}
if [ -z "${PUBLISHED:-}" ]; then
  echo "Publishing (Release)…" >&2
  dotnet publish src/Paylink.Server -c Release -o "$pub/server" -nologo -v q >/dev/null
  dotnet publish bench/Paylink.Bench.Hello -c Release -o "$pub/hello" -nologo -v q >/dev/null
fi

wait_up() { for _ in $(seq 200); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server at $1 did not start" >&2; return 1; }

# wrk → "req_per_sec p99_ms"
run_wrk() {
  local out
  out=$(wrk -t2 -c64 -d"$DURATION" --latency "$@")
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out")
  [ -z "$non2xx" ] || echo "  warning: $non2xx non-2xx responses" >&2
  echo "$rps $p99"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

dotnet "$pub/hello/Paylink.Bench.Hello.dll" --urls http://127.0.0.1:5091 >/dev/null 2>&1 & pids+=($!)
wait_up http://127.0.0.1:5091/

results="$root/bench/results"; mkdir -p "$results"
report="$results/http-$(date -u +%Y%m%d-%H%M).md"
{
  echo "# HTTP benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); .NET $(dotnet --version); wrk -t2 -c64 -d$DURATION, medians of $ROUNDS rounds."
  echo
  echo "| database | endpoint | req/s | p99 ms | ratio to hello (same rounds) |"
  echo "|---|---|---:|---:|---:|"
} >"$report"

bench_db() {
  local db=$1 port=5092 env=()
  local data="$work/data-$db"
  env=(PAYLINK_DATA_DIR="$data" PAYLINK_PublicBaseUrl="http://127.0.0.1:$port" PAYLINK_PayPage__RateLimitPerMinute=0
       Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production)
  if [ "$db" = postgres ]; then
    PG_DURABLE=1 pg_test_start
    env+=(PAYLINK_Database__Provider=postgres PAYLINK_Database__ConnectionString="$PAYLINK_TEST_POSTGRES;Maximum Pool Size=${PG_POOL:-8}")
  fi
  env "${env[@]}" dotnet "$pub/server/Paylink.Server.dll" --urls "http://127.0.0.1:$port" >"$work/server-$db.log" 2>&1 & pids+=($!)
  local spid=$!
  wait_up "http://127.0.0.1:$port/healthz"
  local key; key=$(cat "$data/demo-api-key.txt")
  # 200 distinct links, read in rotation: a pay page is opened a few times per link, so one hot code would flatter caches.
  local codes=()
  for _ in $(seq 200); do
    codes+=("$(curl -fs -X POST "http://127.0.0.1:$port/api/v1/links" -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
      -d '{"amount":250000,"currency":"RUB","description":"Маникюр с покрытием","items":[{"name":"Маникюр","quantity":1,"amount":250000}]}' \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')")
  done
  write_wrk_scripts "$work" "http://127.0.0.1:$port" "$key" "${codes[@]}"
  # warm-up (JIT, pools)
  wrk -t2 -c64 -d"$WARMUP" http://127.0.0.1:5091/ >/dev/null
  wrk -t2 -c64 -d"$WARMUP" -s "$work/page.lua" "http://127.0.0.1:$port/" >/dev/null
  wrk -t2 -c64 -d"$WARMUP" -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/links" >/dev/null
  : >"$work/$db.tsv"
  for r in $(seq "$ROUNDS"); do
    read -r h1 _ < <(run_wrk http://127.0.0.1:5091/)
    read -r pr pp < <(run_wrk -s "$work/page.lua" "http://127.0.0.1:$port/")
    read -r h2 _ < <(run_wrk http://127.0.0.1:5091/)
    read -r cr cp < <(run_wrk -s "$work/post.lua" "http://127.0.0.1:$port/api/v1/links")
    echo "round $r [$db]: hello $h1/$h2, pay page $pr (p99 $pp ms), create $cr (p99 $cp ms)" >&2
    printf "%s\t%s\t%s\t%s\t%s\t%s\n" "$h1" "$h2" "$pr" "$pp" "$cr" "$cp" >>"$work/$db.tsv"
  done
  local hello page pagep99 create createp99 pratio cratio
  hello=$(awk '{print ($1+$2)/2}' "$work/$db.tsv" | median)
  page=$(cut -f3 "$work/$db.tsv" | median); pagep99=$(cut -f4 "$work/$db.tsv" | median)
  create=$(cut -f5 "$work/$db.tsv" | median); createp99=$(cut -f6 "$work/$db.tsv" | median)
  pratio=$(awk '{print $3/(($1+$2)/2)}' "$work/$db.tsv" | median)
  cratio=$(awk '{print $5/(($1+$2)/2)}' "$work/$db.tsv" | median)
  {
    printf '| %s | GET / (hello baseline) | %.0f | | 1.00 |\n' "$db" "$hello"
    printf '| %s | GET /p/{code} (pay page) | %.0f | %.2f | %.2f |\n' "$db" "$page" "$pagep99" "$pratio"
    printf '| %s | POST /api/v1/links | %.0f | %.2f | %.2f |\n' "$db" "$create" "$createp99" "$cratio"
  } >>"$report"
  kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true
  [ "$db" = postgres ] && pg_test_stop
  return 0
}

run_for_dbs "$which"
cat "$report"
echo "(written to ${report#$root/})" >&2
