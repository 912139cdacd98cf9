#!/usr/bin/env bash
# Sets up what is missing (idempotent), then runs WebRtcAsr.
#
#   ./run.sh                          the server: web page and signaling on http://127.0.0.1:8080,
#                                     WebRTC media on UDP 3478, the embedded digit model
#   ./run.sh --urls http://0.0.0.0:9000 ...   other server options (see docs/server.md)
#   ./run.sh transcribe FILE.wav [options]    stream a WAV file through the recognizer instead
#                                     (`./run.sh transcribe --help`; with no file: the model's sample)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/bootstrap.sh"
if [ "${1:-}" = "transcribe" ]; then
  shift
  if [ $# -eq 0 ]; then
    set -- "$root/models/digits-en-lstm/sample-4152.wav" --realtime
  fi
  exec dotnet run --project "$root/src/WebRtcAsr.Transcribe" -c Release -- "$@"
fi
if [[ " $* " != *" --urls "* ]]; then
  set -- --urls http://127.0.0.1:8080 "$@"
fi
exec dotnet run --project "$root/src/WebRtcAsr.Server" -c Release -- "$@"
