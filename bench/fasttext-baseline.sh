#!/usr/bin/env bash
# fastText baseline for the intent classifier on the same train/test split (raw lowercased text, no
# entity placeholders or cues), with the parameters of shared/recipes.md §9. Prints macro-F1 and accuracy
# on the held-out split, training time and prediction throughput. Needs: apt-get install -y fasttext.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v fasttext >/dev/null || { echo "fasttext is not installed: apt-get install -y fasttext" >&2; exit 2; }
work=$(mktemp -d /tmp/paylink-fasttext.XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 - "$work" <<'PY'
import json, re, sys
work = sys.argv[1]
def clean(t):
    t = t.lower().replace("ё", "е")
    t = re.sub(r"([?!.,:;()])", r" \1 ", t)
    return re.sub(r"\s+", " ", t).strip()
for split in ("train", "test"):
    with open(f"{work}/{split}.txt", "w", encoding="utf-8") as out, open(f"{work}/{split}.texts", "w", encoding="utf-8") as texts:
        for line in open(f"src/Paylink.Assistant/Data/{split}.jsonl", encoding="utf-8"):
            r = json.loads(line)
            out.write(f"__label__{r['intent']} {clean(r['text'])}\n")
            texts.write(clean(r["text"]) + "\n")
PY
t0=$(date +%s%N)
fasttext supervised -input "$work/train.txt" -output "$work/model" -epoch 100 -lr 0.5 -wordNgrams 2 -minn 3 -maxn 5 -dim 50 -bucket 100000 -minCount 1 -thread 2 -verbose 0
train_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
t0=$(date +%s%N)
fasttext predict "$work/model.bin" "$work/test.texts" 1 >"$work/predicted.txt"
predict_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
python3 - "$work" "$train_ms" "$predict_ms" <<'PY'
import sys
work, train_ms, predict_ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
expected = [l.split(" ", 1)[0][9:] for l in open(f"{work}/test.txt", encoding="utf-8")]
predicted = [l.strip()[9:] for l in open(f"{work}/predicted.txt", encoding="utf-8")]
labels = sorted(set(expected))
f1s = []
print("intent        support  precision  recall  f1")
for lab in labels:
    tp = sum(1 for e, p in zip(expected, predicted) if e == lab and p == lab)
    pc = sum(1 for p in predicted if p == lab)
    sup = sum(1 for e in expected if e == lab)
    prec = tp / pc if pc else 0.0
    rec = tp / sup if sup else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    f1s.append(f1)
    print(f"{lab:<12}  {sup:7}  {prec:9.3f}  {rec:6.3f}  {f1:.3f}")
acc = sum(1 for e, p in zip(expected, predicted) if e == p) / len(expected)
print(f"fastText macro-F1: {sum(f1s) / len(f1s):.4f}   accuracy: {acc:.4f}   on {len(expected)} held-out messages")
print(f"train: {train_ms} ms; predict {len(expected)} messages (process start included): {predict_ms} ms")
PY
