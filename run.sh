#!/usr/bin/env bash
# Sets up what is missing (idempotent), then runs WebRtcAsr.
# Until the server lands, this streams a sample WAV through the `transcribe` tool;
# extra arguments are passed to it (for example: ./run.sh path/to/file.wav --realtime).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/bootstrap.sh"
exec dotnet run --project "$root/src/WebRtcAsr.Transcribe" -c Release -- "$@"
