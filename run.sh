#!/usr/bin/env bash
# Sets up what is missing (idempotent), then runs WebRtcAsr.
#
#   ./run.sh                          the server: web page and signaling on http://127.0.0.1:8080,
#                                     WebRTC media on UDP 3478, the embedded digit model
#   ./run.sh --https                  the same, plus https://0.0.0.0:8443 with the development certificate
#                                     (certs/make-dev-certs.sh makes it when missing; CERTS_HOSTS adds names)
#                                     and a stable DTLS identity from certs/out/dtls.*
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

urls="http://127.0.0.1:8080"
args=()
for arg in "$@"; do
  if [ "$arg" = "--https" ]; then
    "$root/certs/make-dev-certs.sh" >&2
    out="${CERTS_OUT:-$root/certs/out}"
    urls="http://127.0.0.1:8080;https://0.0.0.0:8443"
    args+=("--WebRtcAsr:Https:CertificatePath=$out/https.pem" "--WebRtcAsr:Https:KeyPath=$out/https.key"
           "--WebRtcAsr:Dtls:CertificatePath=$out/dtls.pem" "--WebRtcAsr:Dtls:KeyPath=$out/dtls.key")
  else
    args+=("$arg")
  fi
done
# Options given after these win (the command line's last value for a key is the one used).
if [[ " ${args[*]-} " != *" --urls "* ]]; then
  args=(--urls "$urls" "${args[@]+"${args[@]}"}")
fi
exec dotnet run --project "$root/src/WebRtcAsr.Server" -c Release -- "${args[@]}"
