#!/usr/bin/env bash
# Sets up what is missing (idempotent), then builds and runs every test suite.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/bootstrap.sh" --test
cd "$root"
dotnet build WebRtcAsr.sln -c Release
dotnet test WebRtcAsr.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
