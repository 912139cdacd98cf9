#!/usr/bin/env bash
# Makes Data/*.sherpa.f32: the frames sherpa-onnx 1.13.8's own front end computes for the test
# signals, so SherpaFbankTests can require OnlineFbank to equal them bit for bit.
#
# Needs g++, binutils (nm, c++filt), python3 and sherpa-onnx's linux-x64 npm package (installed by
# scripts/bootstrap.sh under .deps). Usage, from anywhere:
#   make_sherpa_fbank_reference.sh [path/to/libsherpa-onnx-c-api.so]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../../.." && pwd)"
data="$here/../Data"
lib="${1:-$repo/.deps/node/node_modules/sherpa-onnx-linux-x64/libsherpa-onnx-c-api.so}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

g++ -O1 -std=c++17 -Wno-invalid-offsetof -D_GLIBCXX_USE_CXX11_ABI=0 \
  -o "$work/oracle" "$here/sherpa_fbank_oracle.cc" -ldl

# Local (non-exported) functions: their offsets come from the library's symbol table.
offset() { nm "$lib" | c++filt | grep -F "$1" | grep -v -F '.cold' | head -n1 | awk '{print $1}'; }
make_stream=$(nm "$lib" | grep -F '_ZSt11make_uniqueIN11sherpa_onnx12OnlineStreamEJRKNS0_22FeatureExtractorConfigEEE' | grep -v -F '.cold' | head -n1 | awk '{print $1}')
num_frames=$(offset 'sherpa_onnx::OnlineStream::NumFramesReady() const')
get_frames=$(offset 'sherpa_onnx::OnlineStream::GetFrames(int, int) const')
[ -n "$make_stream" ] && [ -n "$num_frames" ] && [ -n "$get_frames" ] || { echo "symbols not found in $lib" >&2; exit 1; }

# Inputs as raw float32: the 16-bit WAVs as int16/32768 (exactly what the tests feed), plus a
# float signal off the 16-bit grid (noise + decaying 1 kHz tone) and short prefixes of it.
python3 - "$data" "$work" <<'PY'
import math, random, struct, sys, wave
data, work = sys.argv[1], sys.argv[2]
for name in ["fsdd_5_nicolas_2", "chirp_100_7000", "silence_then_tone"]:
    with wave.open(f"{data}/{name}.wav") as w:
        raw = w.readframes(w.getnframes())
    n = len(raw) // 2
    samples = [v / 32768.0 for v in struct.unpack(f"<{n}h", raw)]
    open(f"{work}/{name}.f32", "wb").write(struct.pack(f"<{n}f", *samples))
random.seed(7)
n = 7777
noise = [random.gauss(0, 0.01) + 0.2 * math.sin(2 * math.pi * 1000 * i / 16000) * math.exp(-i / 4000)
         for i in range(n)]
blob = struct.pack(f"<{n}f", *noise)
open(f"{data}/float_noise_tone.f32", "wb").write(blob)
open(f"{work}/float_noise_tone.f32", "wb").write(blob)
for k in [100, 150, 281, 450]:
    open(f"{work}/float_noise_tone_first{k}.f32", "wb").write(blob[: 4 * k])
PY

for name in fsdd_5_nicolas_2 chirp_100_7000 silence_then_tone float_noise_tone \
            float_noise_tone_first100 float_noise_tone_first150 float_noise_tone_first281 float_noise_tone_first450; do
  LD_LIBRARY_PATH="$(dirname "$lib")" "$work/oracle" "$lib" "$make_stream" "$num_frames" "$get_frames" \
    "$work/$name.f32" "$data/$name.sherpa.f32" 100000 0
done
# sherpa's normalize_samples = false path (input times 32768), for InputScale = 32768.
LD_LIBRARY_PATH="$(dirname "$lib")" "$work/oracle" "$lib" "$make_stream" "$num_frames" "$get_frames" \
  "$work/fsdd_5_nicolas_2.f32" "$data/fsdd_5_nicolas_2.scaled32768.sherpa.f32" 100000 1
