#!/usr/bin/env bash
# Runs Paylink's whole test suite the way CI does:
#   1. installs what the tests need when missing (PostgreSQL, Chromium for browser tests),
#   2. starts a throw-away PostgreSQL cluster on loopback and exports PAYLINK_TEST_POSTGRES,
#   3. runs every test project (every DB test on SQLite and PostgreSQL),
#   4. prints one summary line "N passed, N failed, N skipped" summed over all projects (from TRX).
# Usage: scripts/test.sh [extra dotnet test args, e.g. --filter FullyQualifiedName~Links]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

need_apt=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing: ${need_apt[*]}"
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

pg_test_start() {   # exports PAYLINK_TEST_POSTGRES (recipe from shared/recipes.md §1)
  local sudo= as=() p initdb
  [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --) || sudo=sudo      # initdb refuses to run as root
  initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1) || true
  [ -n "$initdb" ] || { echo "PostgreSQL is not installed" >&2; return 1; }
  PG_TEST_BIN=$(dirname "$initdb"); PG_TEST_DIR=$(mktemp -d /tmp/pgtest.XXXXXX); PG_TEST_PORT=
  [ ${#as[@]} -eq 0 ] || chown postgres: "$PG_TEST_DIR"
  for _ in $(seq 50); do        # free loopback port = nothing answers on it
    p=$((20000 + RANDOM % 40000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { PG_TEST_PORT=$p; break; }
  done
  [ -n "$PG_TEST_PORT" ] || return 1
  "${as[@]}" "$PG_TEST_BIN/initdb" -D "$PG_TEST_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
  "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -t 30 -o "-p $PG_TEST_PORT -k $PG_TEST_DIR \
    -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null \
    || { cat "$PG_TEST_DIR/log" >&2; return 1; }
  "${as[@]}" "$PG_TEST_BIN/createdb" -h 127.0.0.1 -p "$PG_TEST_PORT" -U postgres paylink_test || return 1
  export PAYLINK_TEST_POSTGRES="Host=127.0.0.1;Port=$PG_TEST_PORT;Username=postgres;Database=paylink_test"
}
pg_test_stop() {
  [ -n "${PG_TEST_DIR:-}" ] && [ -d "$PG_TEST_DIR" ] || return 0
  local as=(); [ "$(id -u)" -eq 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_TEST_BIN/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TEST_DIR"
}

results="$root/TestResults"
rm -rf "$results"
pg_test_start
trap pg_test_stop EXIT

dotnet tool restore >/dev/null
dotnet restore Paylink.slnx --locked-mode >/dev/null
dotnet build Paylink.slnx -c Release --no-restore -nologo -clp:ErrorsOnly
status=0
dotnet test Paylink.slnx -c Release --no-build --logger "trx" --results-directory "$results" "$@" || status=$?

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0)) + int(c.get("inconclusive", 0))
if not files: failed += 1; print("no TRX results found", file=sys.stderr)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
