#!/usr/bin/env bash
# Wall-clock throughput of `paylink analyze` (published Release build) on N messages (default 100,000)
# made by repeating labelled messages, output to /dev/null.
#   bench/analyze-throughput.sh [N] [SET] [CATALOG]
# SET: "training" (default: the training and synthetic test text, salon catalog), or a folder holding
# messages.jsonl and catalogs/ (e.g. tests/heldout/2026-12: all its catalogs merged into one, ids prefixed),
# or "SET+novel": the same with one made-up word appended to every line, so no line is served from the
# per-word caches alone (the worst case for unfamiliar text).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
set_arg=${2:-training}
work=$(mktemp -d /tmp/paylink-analyze-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
# CLI=DIR measures an already published build (e.g. an older commit's, for a same-session ratio).
cli=${CLI:-$work/cli}
[ -n "${CLI:-}" ] || dotnet publish src/Paylink.Cli -c Release -o "$cli" -v quiet -nologo >/dev/null
python3 - "$n" "$work/input.txt" "$set_arg" "$work/catalog.json" <<'PY'
import glob, json, os, random, sys
n, out, which, catalog_out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
novel = which.endswith("+novel")
which = which.removesuffix("+novel")
if which == "training":
    texts = [json.loads(l)["text"] for f in ("train", "test") for l in open(f"src/Paylink.Assistant/Data/{f}.jsonl", encoding="utf-8")]
    entries = json.load(open("src/Paylink.Assistant/Data/catalogs/salon.json", encoding="utf-8"))
else:
    texts = [json.loads(l)["text"] for l in open(os.path.join(which, "messages.jsonl"), encoding="utf-8") if l.strip()]
    entries = []
    for path in sorted(glob.glob(os.path.join(which, "catalogs", "*.json"))):
        prefix = os.path.splitext(os.path.basename(path))[0]
        for e in json.load(open(path, encoding="utf-8")):
            e["id"] = (prefix + "-" + e["id"])[:64]
            entries.append(e)
json.dump(entries, open(catalog_out, "w", encoding="utf-8"), ensure_ascii=False)
rng = random.Random(1)
letters = "абвгдежзиклмнопрстуфхцчшщыэюя"
with open(out, "w", encoding="utf-8") as f:
    for i in range(n):
        line = texts[i % len(texts)].replace("\n", " ")
        if novel:
            line += " " + "".join(rng.choice(letters) for _ in range(rng.randint(5, 9)))
        f.write(line + "\n")
PY
catalog="$work/catalog.json"
# Start-up alone (model load, JIT) on a one-line input, to subtract from the total.
start_ns=$(date +%s%N)
echo "привет" | "$cli/paylink" analyze --catalog "$catalog" --now 2026-11-18T10:00:00+03:00 >/dev/null
startup_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
start_ns=$(date +%s%N)
"$cli/paylink" analyze --catalog "$catalog" --now 2026-11-18T10:00:00+03:00 <"$work/input.txt" >"$work/output.jsonl"
total_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
lines=$(wc -l <"$work/output.jsonl")
[ "$lines" -eq "$n" ] || { echo "expected $n output lines, got $lines" >&2; exit 1; }
steady_ms=$(( total_ms > startup_ms ? total_ms - startup_ms : 1 ))
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "set: $set_arg; catalog entries: $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))))" "$catalog")"
echo "messages: $n; start-up: ${startup_ms} ms; total: ${total_ms} ms"
echo "throughput after start-up: $(( n * 1000 / steady_ms )) messages/s; including start-up: $(( n * 1000 / total_ms )) messages/s"
