#!/usr/bin/env bash
# Growth benchmark (issue 23): the same endpoints on an empty database and on one filled with a year of data by
# `paylink generate-data`, on SQLite and PostgreSQL (fsync on), plus 1 vs 3 server instances on one PostgreSQL.
#   bench/scale-bench.sh [sqlite|postgres|both]      (default both; needs wrk, curl, python3, PostgreSQL for postgres)
# Environment: LINKS (1000000), MERCHANTS (50), DURATION (8s, each wrk run), WARMUP (5s), SAMPLES (10, timed requests of
#   the heavier endpoints), PG_POOL (8, Maximum Pool Size per instance — docs/deployment.md), INSTANCES (3), SKIP_EMPTY=1, PUBLISHED=dir (reuse a publish).
# Throughput endpoints (pay page, link creation) are wrk runs as ratios to the same run's hello baseline; the heavier
# ones (overview over 90 days, metrics API, links list, CSV export of a month, statement import) are SAMPLES sequential
# requests each, median and p90 of curl's total time. RSS: VmRSS after start (idle) and VmHWM after the load (peak).
# Writes bench/results/scale-<date>.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
which=${1:-both}
LINKS=${LINKS:-1000000}; MERCHANTS=${MERCHANTS:-50}; DURATION=${DURATION:-8s}; WARMUP=${WARMUP:-5s}; SAMPLES=${SAMPLES:-10}
PG_POOL=${PG_POOL:-8}; INSTANCES=${INSTANCES:-3}
for tool in wrk curl python3; do command -v $tool >/dev/null || { echo "$tool is not installed" >&2; exit 2; }; done

work=$(mktemp -d /tmp/paylink-scale.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done; pg_test_stop 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
source scripts/lib/pg.sh
source bench/lib/wrk-scripts.sh

# PUBLISHED=dir reuses an earlier publish (dir/server, dir/cli, dir/hello), so the measured minutes need no build.
pub=${PUBLISHED:-$work}
if [ -z "${PUBLISHED:-}" ]; then
  echo "Publishing (Release)…" >&2
  dotnet publish src/Paylink.Server -c Release -o "$pub/server" -nologo -v q >/dev/null
  dotnet publish src/Paylink.Cli -c Release -o "$pub/cli" -nologo -v q >/dev/null
  dotnet publish bench/Paylink.Bench.Hello -c Release -o "$pub/hello" -nologo -v q >/dev/null
fi
cli_dll="$pub/cli/paylink.dll"

wait_up() { for _ in $(seq 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "server at $1 did not start" >&2; return 1; }
rss_kb() { awk -v k="$2" '$1==k":" {print $2}' "/proc/$1/status"; }
# wrk → "req_per_sec p99_ms"
run_wrk() {
  local out rps p99
  out=$(wrk -t2 -d"$DURATION" --latency "$@")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}' <<<"$out")
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $4}' <<<"$out"); [ -z "$non2xx" ] || echo "  warning: $non2xx non-2xx responses ($*)" >&2
  echo "$rps $p99"
}
# SAMPLES sequential requests → "median_ms p90_ms"
timed() {
  local i
  for i in $(seq "$SAMPLES"); do curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$@"; done \
    | awk '$1 !~ /^2/ {bad++} {print $2*1000} END {if (bad) print "  warning: " bad " non-2xx" > "/dev/stderr"}' | sort -n \
    | awk '{a[NR]=$1} END {printf "%.1f %.1f\n", a[int((NR+1)/2)], a[int(NR*0.9+0.999)]}'
}

dotnet "$pub/hello/Paylink.Bench.Hello.dll" --urls http://127.0.0.1:5091 >/dev/null 2>&1 & pids+=($!)
wait_up http://127.0.0.1:5091/

results="$root/bench/results"; mkdir -p "$results"
report="$results/scale-$(date -u +%Y%m%d-%H%M).md"
{
  echo "# Scale benchmark $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr), load average before: $(cut -d' ' -f1-3 /proc/loadavg); .NET $(dotnet --version); wrk -t2 -d$DURATION; timed endpoints: $SAMPLES sequential requests, median / p90 ms; generated: $LINKS links, $MERCHANTS merchants; PostgreSQL fsync on, Maximum Pool Size $PG_POOL per instance."
  echo
  echo "| database | data | measure | value | p99 / p90 ms | ratio to hello |"
  echo "|---|---|---|---:|---:|---:|"
} >"$report"
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@" >>"$report"; }

statement_file() {   # $1 = sequence: 40 incoming transfers that match no счёт (review lines), distinct per call
  python3 - "$1" >"$work/statement.txt" <<'PY'
import sys
n = int(sys.argv[1])
out = ["1CClientBankExchange", "ВерсияФормата=1.03", "Кодировка=Windows", "РасчСчет=40702810638000000000"]
for i in range(40):
    out += ["СекцияДокумент=Платежное поручение", f"Номер={n * 100 + i}", "Дата=18.11.2026", f"Сумма={1000 + i}.00",
            "ПлательщикСчет=40702810400000000001", "ПлательщикИНН=7736207543", "Плательщик1=ООО «Вектор»",
            "ПолучательСчет=40702810638000000000", "ПолучательИНН=7707083893", f"НазначениеПлатежа=Оплата по счёту № {900000 + n * 100 + i}", "КонецДокумента"]
out.append("КонецФайла")
sys.stdout.buffer.write(("\r\n".join(out) + "\r\n").encode("cp1251"))
PY
}

start_server() {   # $1 db, $2 data dir, $3 port, $4 connection string (postgres) → pid in $spid
  local env=(PAYLINK_DATA_DIR="$2" PAYLINK_PublicBaseUrl="http://127.0.0.1:$3" PAYLINK_PayPage__RateLimitPerMinute=0
             Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production)
  [ "$1" = postgres ] && env+=(PAYLINK_Database__Provider=postgres PAYLINK_Database__ConnectionString="$4")
  [ "${5:-}" = secondary ] && env+=(PAYLINK_Database__MigrateOnStart=false PAYLINK_Demo__Seed=false)
  # SERVER_ENV="DOTNET_gcServer=0 …" passes runtime settings to every server (e.g. to compare GC modes' RSS).
  [ -n "${SERVER_ENV:-}" ] && read -ra extra <<<"$SERVER_ENV" && env+=("${extra[@]}")
  env "${env[@]}" dotnet "$pub/server/Paylink.Server.dll" --urls "http://127.0.0.1:$3" >>"$work/server-$1-$3.log" 2>&1 & spid=$!; pids+=($spid)
  wait_up "http://127.0.0.1:$3/healthz"
}

bench_dataset() {   # $1 db, $2 empty|year
  local db=$1 data=$2 port=5092 dir="$work/data-$1-$2" cs="" key
  mkdir -p "$dir"
  if [ "$db" = postgres ]; then
    "${PG_AS[@]}" "$PG_TEST_BIN/createdb" -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres "paylink_$data"
    cs="Host=127.0.0.1;Port=$PG_TEST_PORT;Username=postgres;Database=paylink_$data;Maximum Pool Size=$PG_POOL"
  fi
  local cli_env=(PAYLINK_DATA_DIR="$dir" Logging__LogLevel__Default=Warning)
  [ "$db" = postgres ] && cli_env+=(PAYLINK_Database__Provider=postgres PAYLINK_Database__ConnectionString="$cs")
  if [ "$data" = year ]; then
    echo "[$db] generating $LINKS links for $MERCHANTS merchants…" >&2
    local t0=$SECONDS
    env "${cli_env[@]}" dotnet "$cli_dll" generate-data --links "$LINKS" --merchants "$MERCHANTS" --json | tail -1 >"$dir/gen.json"   # the JSON is the last line (logs may precede it)
    local gen_s=$((SECONDS - t0))
    key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["merchants"][0]["apiKey"])' "$dir/gen.json")
    row "$db" "$data" "generate-data (s)" "$gen_s" "" ""
    row "$db" "$data" "rows" "$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["rows"]; print(", ".join(f"{k} {v:,}" for k,v in r.items()))' "$dir/gen.json")" "" ""
    if [ "$db" = postgres ]; then
      "${PG_AS[@]}" "$PG_TEST_BIN/psql" -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres -d "paylink_$data" -qc "VACUUM ANALYZE" >/dev/null
      row "$db" "$data" "database size" "$("${PG_AS[@]}" "$PG_TEST_BIN/psql" -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres -d "paylink_$data" -Atc "select pg_size_pretty(pg_database_size(current_database()))")" "" ""
    else
      row "$db" "$data" "database size" "$(du -h "$dir/paylink.db" | cut -f1)" "" ""
    fi
  fi
  start_server "$db" "$dir" "$port" "$cs"
  local main=$spid
  [ "$data" = empty ] && key=$(cat "$dir/demo-api-key.txt")
  sleep 5
  row "$db" "$data" "RSS idle (MB)" "$(( $(rss_kb "$main" VmRSS) / 1024 ))" "" ""
  local base="http://127.0.0.1:$port" auth=(-H "Authorization: Bearer $key")
  curl -fs -X PUT "$base/api/v1/requisites" "${auth[@]}" -H "Content-Type: application/json" -d '{"name":"ООО «Ромашка»","inn":"7707083893","kpp":"773601001","ogrn":"1027700132195","address":"г. Москва, ул. Ленина, д. 1","bankName":"ПАО Сбербанк","bic":"044525225","correspondentAccount":"30101810400000000225","account":"40702810638000000000","signerName":"Иванов Иван Иванович","signerPosition":"Генеральный директор","vat":"vat22","dueDays":5}' >/dev/null
  local codes=()
  for _ in $(seq 200); do
    codes+=("$(curl -fs -X POST "$base/api/v1/links" "${auth[@]}" -H "Content-Type: application/json" \
      -d '{"amount":250000,"currency":"RUB","description":"Маникюр с покрытием"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["code"])')")
  done
  write_wrk_scripts "$work" "$base" "$key" "${codes[@]}"
  wrk -t2 -c64 -d"$WARMUP" http://127.0.0.1:5091/ >/dev/null
  wrk -t2 -c64 -d"$WARMUP" -s "$work/page.lua" "$base/" >/dev/null
  wrk -t2 -c64 -d"$WARMUP" -s "$work/post.lua" "$base/api/v1/links" >/dev/null
  local h1 h2 pr pp cr cp
  read -r h1 _ < <(run_wrk -c64 http://127.0.0.1:5091/)
  read -r pr pp < <(run_wrk -c64 -s "$work/page.lua" "$base/")
  read -r h2 _ < <(run_wrk -c64 http://127.0.0.1:5091/)
  read -r cr cp < <(run_wrk -c64 -s "$work/post.lua" "$base/api/v1/links")
  local hello; hello=$(awk -v a="$h1" -v b="$h2" 'BEGIN {print (a+b)/2}')
  row "$db" "$data" "hello req/s" "$(printf %.0f "$hello")" "" "1.00"
  row "$db" "$data" "pay page req/s" "$(printf %.0f "$pr")" "$pp" "$(awk -v x="$pr" -v h="$hello" 'BEGIN {printf "%.3f", x/h}')"
  row "$db" "$data" "link creation req/s" "$(printf %.0f "$cr")" "$cp" "$(awk -v x="$cr" -v h="$hello" 'BEGIN {printf "%.3f", x/h}')"

  local today from90 mfrom mto
  today=$(TZ=Europe/Moscow date +%F); from90=$(TZ=Europe/Moscow date -d "$today -89 days" +%F)
  mfrom=$(TZ=Europe/Moscow date -d "$(date +%Y-%m-01) -1 month" +%F); mto=$(TZ=Europe/Moscow date -d "$(date +%Y-%m-01) -1 day" +%F)
  local r
  r=$(timed "${auth[@]}" "$base/api/v1/metrics?from=$from90&to=$today"); row "$db" "$data" "overview, 90 days (ms, median)" "${r% *}" "${r#* }" ""
  r=$(timed "${auth[@]}" "$base/api/v1/metrics?from=$(TZ=Europe/Moscow date -d "$today -29 days" +%F)&to=$today"); row "$db" "$data" "metrics API, 30 days (ms)" "${r% *}" "${r#* }" ""
  r=$(timed "${auth[@]}" "$base/api/v1/metrics?from=$from90&to=$today&format=csv"); row "$db" "$data" "metrics CSV, 90 days (ms)" "${r% *}" "${r#* }" ""
  r=$(timed "${auth[@]}" "$base/api/v1/links?status=paid&limit=50"); row "$db" "$data" "links list status=paid (ms)" "${r% *}" "${r#* }" ""
  r=$(timed "${auth[@]}" "$base/api/v1/links?status=expired&limit=50"); row "$db" "$data" "links list status=expired (ms)" "${r% *}" "${r#* }" ""
  r=$(timed "${auth[@]}" "$base/api/v1/links?limit=50"); row "$db" "$data" "links list, no filter (ms)" "${r% *}" "${r#* }" ""
  r=$(timed "${auth[@]}" "$base/api/v1/payments/export?from=$mfrom&to=$mto"); row "$db" "$data" "CSV export of last month (ms)" "${r% *}" "${r#* }" ""
  local times=()
  for i in $(seq "$SAMPLES"); do
    statement_file "$i"
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -X POST "$base/api/v1/statements" "${auth[@]}" -H "Content-Type: text/plain" --data-binary @"$work/statement.txt")")
  done
  r=$(printf '%s\n' "${times[@]}" | awk '{print $1*1000}' | sort -n | awk '{a[NR]=$1} END {printf "%.1f %.1f\n", a[int((NR+1)/2)], a[int(NR*0.9+0.999)]}')
  row "$db" "$data" "statement import, 40 lines (ms)" "${r% *}" "${r#* }" ""
  row "$db" "$data" "RSS peak after load (MB)" "$(( $(rss_kb "$main" VmHWM) / 1024 ))" "" ""
  row "$db" "$data" "RSS now (MB)" "$(( $(rss_kb "$main" VmRSS) / 1024 ))" "" ""

  if [ "$db" = postgres ]; then
    local plan
    plan=$("${PG_AS[@]}" "$PG_TEST_BIN/psql" -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres -d "paylink_$data" -Atc \
      "EXPLAIN (ANALYZE, FORMAT TEXT) SELECT \"Id\" FROM \"Jobs\" WHERE \"State\" = 'Pending' AND \"RunAt\" <= now() ORDER BY \"RunAt\" LIMIT 16 FOR UPDATE SKIP LOCKED" | tr '\n' ' ')
    row "$db" "$data" "job claim plan" "$(grep -oE '(Index Scan|Index Only Scan|Bitmap Index Scan) on "?[A-Za-z_]+|Seq Scan on "?[A-Za-z]+' <<<"$plan" | head -1)" "$(grep -oE 'Execution Time: [0-9.]+ ms' <<<"$plan")" ""
  fi

  if [ "$db" = postgres ] && [ "$data" = year ] && [ "$INSTANCES" -gt 1 ]; then
    local ports=($port) i
    for i in $(seq 2 "$INSTANCES"); do start_server "$db" "$dir" $((port + i - 1)) "$cs" secondary; ports+=($((port + i - 1))); done
    local per=$((64 / INSTANCES))
    local wpids target
    for kind in page post; do
      local script="$work/page.lua"; [ $kind = post ] && script="$work/post.lua"
      wpids=()
      for p in "${ports[@]}"; do
        target="http://127.0.0.1:$p/"; [ $kind = post ] && target="http://127.0.0.1:$p/api/v1/links"
        wrk -t1 -c"$per" -d"$WARMUP" -s "$script" "$target" >/dev/null & wpids+=($!)
      done
      wait "${wpids[@]}"   # only the wrk runs: a bare wait would wait for the servers too
    done
    read -r h1 _ < <(run_wrk -c64 http://127.0.0.1:5091/)
    for kind in page post; do
      local outs=() script="$work/page.lua"; [ $kind = post ] && script="$work/post.lua"
      wpids=()
      for p in "${ports[@]}"; do
        target="http://127.0.0.1:$p/"; [ $kind = post ] && target="http://127.0.0.1:$p/api/v1/links"
        wrk -t1 -c"$per" -d"$DURATION" --latency -s "$script" "$target" >"$work/wrk-$kind-$p.txt" & wpids+=($!)
      done
      wait "${wpids[@]}"
      local total p99
      total=$(cat "$work"/wrk-$kind-*.txt | awk '/Requests\/sec/ {s+=$2} END {print s}')
      p99=$(cat "$work"/wrk-$kind-*.txt | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; if (v>m) m=v} END {print m}')
      [ $kind = page ] && label="pay page, $INSTANCES instances (total req/s)" || label="link creation, $INSTANCES instances (total req/s)"
      row "$db" "$data" "$label" "$(printf %.0f "$total")" "$p99 (max)" "$(awk -v x="$total" -v h="$h1" 'BEGIN {printf "%.3f", x/h}')"
      rm -f "$work"/wrk-$kind-*.txt
    done
    local rss=""
    for p in "${pids[@]}"; do [ -r "/proc/$p/status" ] && [ "$p" != "${pids[0]}" ] && rss+="$(( $(rss_kb "$p" VmHWM) / 1024 )) "; done
    row "$db" "$data" "RSS peak per instance (MB)" "$rss" "" ""
  fi
  # Stop this dataset's servers (the hello baseline is pids[0]).
  for p in "${pids[@]:1}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  pids=("${pids[0]}")
}

bench_db() {
  local db=$1
  if [ "$db" = postgres ]; then
    PG_DURABLE=1 pg_test_start
    PG_AS=(); [ "$(id -u)" -eq 0 ] && PG_AS=(runuser -u postgres --)
  fi
  [ "${SKIP_EMPTY:-0}" = 1 ] || bench_dataset "$db" empty
  bench_dataset "$db" year
  [ "$db" = postgres ] && pg_test_stop
  return 0
}

run_for_dbs "$which"
cat "$report"
echo "(written to ${report#$root/})" >&2
