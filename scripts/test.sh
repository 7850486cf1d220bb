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

# shellcheck source=scripts/pg-test.sh
source "$root/scripts/pg-test.sh"

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
