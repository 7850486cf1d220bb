#!/usr/bin/env bash
# Runs Paylink on its embedded defaults (README, "The two commands"). The first `dotnet run` restores packages
# and compiles for about a minute without a word; this says what is happening, builds, then starts the server,
# which prints its addresses, the demo API key and the dashboard password once it listens.
# Arguments go to the server, e.g. scripts/run.sh --urls http://localhost:5090
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
if [ -d src/Paylink.Server/bin/Debug ]; then
  echo "Building Paylink (changes only)…"
else
  echo "Building Paylink… (the first run restores packages and compiles: about 1 min on 2 cores)"
fi
dotnet build src/Paylink.Server -nologo -v quiet -clp:ErrorsOnly
echo "Built in $((SECONDS - started)) s. Starting the server: the addresses follow when it listens (Ctrl+C stops it)."
exec dotnet run --project src/Paylink.Server --no-build -- "$@"
