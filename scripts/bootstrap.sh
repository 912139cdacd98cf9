#!/usr/bin/env bash
# Installs everything WebRtcAsr needs, idempotently: Debian packages and pinned npm
# packages (native libraries, the Silero VAD model, the reference recognizer), each verified by
# SHA-256. A second run finds everything in place and does nothing.
#
#   scripts/bootstrap.sh           what the server needs
#   scripts/bootstrap.sh --test    plus what the tests need
#
# Fetched files go to .deps/ (git-ignored). Set WEBRTCASR_DEPS to put them elsewhere.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deps="${WEBRTCASR_DEPS:-$root/.deps}"
want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "bootstrap: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

log() { echo "bootstrap: $*" >&2; }
die() { echo "bootstrap: error: $*" >&2; exit 1; }

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "only Linux x86_64 is supported (this is $(uname -s)-$(uname -m))"

# ---------------------------------------------------------------- Debian packages
# Runtime: libopus for Opus decoding.
apt_runtime=(libopus0)
# Tests: Node.js runs the reference recognizer (sherpa-onnx); the other tools are real peers
# and audio tools used by the test suites (openssl, gnutls-bin, chromium, python3-aiortc: independent
# DTLS/SCTP/WebRTC peers; sip-tester is SIPp, which drives the SIP transports and plays call media from
# pcaps; baresip is a softphone that calls us with a WAV as its microphone).
apt_test=(nodejs npm ffmpeg sox openssl gnutls-bin chromium python3-aiortc sip-tester baresip)

apt_wanted=("${apt_runtime[@]}")
[ $want_test = 1 ] && apt_wanted+=("${apt_test[@]}")

missing=()
for pkg in "${apt_wanted[@]}"; do
  # Node and npm may come from outside Debian; a working command is enough.
  case "$pkg" in
    nodejs) command -v node >/dev/null && continue ;;
    npm) command -v npm >/dev/null && continue ;;
  esac
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  log "installing Debian packages: ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get could not install: ${missing[*]}"
fi

# ---------------------------------------------------------------- pinned npm packages
# name@version  sha256 of the tarball `npm pack` fetches
npm_onnxruntime=("onnxruntime-node@1.23.2" "fe70e8de46560c57c2dfb7170770da32dbb21684504a5c904346c44a56e154f2")
npm_sherpa_node=("sherpa-onnx-node@1.13.8" "db2a7b8b18d950b6e9ca5c1c919afec33fd3dd2bfef1aade0bea5a9fe7a1f0f1")
npm_sherpa_linux=("sherpa-onnx-linux-x64@1.13.8" "13291bcd825da5858ca27a35443e9a2c229a40616c0910086de2db12c5c9312c")
# Silero VAD v5 (MIT-licensed upstream: github.com/snakers4/silero-vad). The npm package
# @ricky0123/vad-web (ISC) ships the unmodified ONNX export as dist/silero_vad_v5.onnx.
npm_silero=("@ricky0123/vad-web@0.0.31" "d1a211cf1a2ed26297da52cc08de79e75d79838a274bfc6de546feb1f828c940")

mkdir -p "$deps/cache"

# fetch SPEC SHA256 -> prints the path of the verified tarball
fetch() {
  local spec="$1" sha="$2" name ver tgz
  name="${spec%@*}"; ver="${spec##*@}"
  tgz="$deps/cache/$(echo "${name#@}" | tr '/' '-')-$ver.tgz"   # as npm pack names it
  if [ ! -f "$tgz" ] || [ "$(sha256sum "$tgz" | cut -d' ' -f1)" != "$sha" ]; then
    log "fetching $spec from the npm registry"
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null 2>"$tmp/err") \
      || die "could not fetch $spec from the npm registry (no network?): $(tail -n 3 "$tmp/err")"
    mv "$tmp"/*.tgz "$tgz"; rm -rf "$tmp"
  fi
  local got; got="$(sha256sum "$tgz" | cut -d' ' -f1)"
  [ "$got" = "$sha" ] || { rm -f "$tgz"; die "$spec: SHA-256 mismatch (expected $sha, got $got); refusing to use it"; }
  echo "$tgz"
}

# stamp DIR KEY: true when DIR was made from KEY already
stamped() { [ -f "$1/.stamp" ] && [ "$(cat "$1/.stamp")" = "$2" ]; }

# ONNX Runtime native library, from onnxruntime-node.
ort_dir="$deps/onnxruntime"
if ! stamped "$ort_dir" "${npm_onnxruntime[*]}"; then
  tgz="$(fetch "${npm_onnxruntime[@]}")"
  rm -rf "$ort_dir"; mkdir -p "$ort_dir"
  tar -xzf "$tgz" -C "$ort_dir" --strip-components=5 package/bin/napi-v6/linux/x64/libonnxruntime.so.1
  echo "${npm_onnxruntime[*]}" > "$ort_dir/.stamp"
  log "ONNX Runtime ready: $ort_dir/libonnxruntime.so.1"
fi

# Silero VAD v5 model, from @ricky0123/vad-web (the server's voice activity detector).
silero_dir="$deps/silero"
if ! stamped "$silero_dir" "${npm_silero[*]}"; then
  tgz="$(fetch "${npm_silero[@]}")"
  rm -rf "$silero_dir"; mkdir -p "$silero_dir"
  tar -xzf "$tgz" -C "$silero_dir" --strip-components=2 package/dist/silero_vad_v5.onnx
  echo "${npm_silero[*]}" > "$silero_dir/.stamp"
  log "Silero VAD ready: $silero_dir/silero_vad_v5.onnx"
fi

# The reference recognizer (sherpa-onnx's Node API with its own native libraries), for tests.
if [ $want_test = 1 ]; then
  node_dir="$deps/node"
  key="${npm_sherpa_node[*]} ${npm_sherpa_linux[*]}"
  if ! stamped "$node_dir" "$key"; then
    rm -rf "$node_dir"; mkdir -p "$node_dir/node_modules"
    for spec in npm_sherpa_node npm_sherpa_linux; do
      declare -n pair="$spec"
      tgz="$(fetch "${pair[@]}")"
      dir="$node_dir/node_modules/${pair[0]%@*}"
      mkdir -p "$dir"; tar -xzf "$tgz" -C "$dir" --strip-components=1
    done
    echo "$key" > "$node_dir/.stamp"
    log "sherpa-onnx ready: $node_dir/node_modules"
  fi
fi
