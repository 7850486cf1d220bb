#!/usr/bin/env bash
# Regenerates the labelled data, retrains the intent model and scores it on the held-out split.
#   scripts/train-intent-model.sh            # data + model + report
#   SKIP_DATA=1 scripts/train-intent-model.sh  # keep Data/*.jsonl, retrain only
# Writes src/Paylink.Assistant/Model/intent-model.zip (embedded into Paylink.Assistant at build time).
# Deterministic: the generator and the trainer use fixed seeds, so a rerun on the same code gives the same files.
set -euo pipefail
cd "$(dirname "$0")/.."
data=src/Paylink.Assistant/Data
if [ -z "${SKIP_DATA:-}" ]; then
  python3 tools/intent-data/generate_messages.py --out "$data"
fi
# Tune with grouped cross-validation on the training split only; the test split is for the final report.
dotnet run -c Release --project tools/Paylink.IntentTrainer -- --data "$data" --out src/Paylink.Assistant/Model/intent-model.zip --cv "${CV_FOLDS:-5}"
dotnet build -c Release src/Paylink.Cli -v quiet -nologo
dotnet src/Paylink.Cli/bin/Release/net10.0/paylink.dll analyze-eval --data "$data/test.jsonl"
