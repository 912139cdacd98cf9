#!/usr/bin/env bash
# Sets up what is missing (idempotent), then runs WebRtcAsr.
# Until the server lands, this streams a WAV file through the `transcribe` tool at the pace it was
# spoken, printing live captions as JSON lines. With no arguments it plays the default model's sample
# (a person saying "four one five two"); otherwise the arguments go to `transcribe`, e.g.
#   ./run.sh my-recording.wav --numerals
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/bootstrap.sh"
if [ $# -eq 0 ]; then
  set -- "$root/models/digits-en-lstm/sample-4152.wav" --realtime
fi
exec dotnet run --project "$root/src/WebRtcAsr.Transcribe" -c Release -- "$@"
