#!/usr/bin/env bash
# Wall-clock throughput of `paylink analyze` (published Release build) on N messages (default 100,000)
# made by repeating the labelled messages, salon catalog, output to /dev/null.
#   bench/analyze-throughput.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
work=$(mktemp -d /tmp/paylink-analyze-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet publish src/Paylink.Cli -c Release -o "$work/cli" -v quiet -nologo >/dev/null
python3 - "$n" "$work/input.txt" <<'PY'
import json, sys
n, out = int(sys.argv[1]), sys.argv[2]
texts = [json.loads(l)["text"] for f in ("train", "test") for l in open(f"src/Paylink.Assistant/Data/{f}.jsonl", encoding="utf-8")]
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        f.write(texts[i % len(texts)].replace("\n", " ") + "\n")
PY
catalog=src/Paylink.Assistant/Data/catalogs/salon.json
# Start-up alone (model load, JIT) on a one-line input, to subtract from the total.
start_ns=$(date +%s%N)
echo "привет" | "$work/cli/paylink" analyze --catalog "$catalog" --now 2026-11-18T10:00:00+03:00 >/dev/null
startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
start_ns=$(date +%s%N)
"$work/cli/paylink" analyze --catalog "$catalog" --now 2026-11-18T10:00:00+03:00 <"$work/input.txt" >"$work/output.jsonl"
total_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
lines=$(wc -l <"$work/output.jsonl")
[ "$lines" -eq "$n" ] || { echo "expected $n output lines, got $lines" >&2; exit 1; }
steady_ms=$(( total_ms > startup_ms ? total_ms - startup_ms : 1 ))
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "messages: $n; start-up: ${startup_ms} ms; total: ${total_ms} ms"
echo "throughput after start-up: $(( n * 1000 / steady_ms )) messages/s; including start-up: $(( n * 1000 / total_ms )) messages/s"
