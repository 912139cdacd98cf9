#!/usr/bin/env bash
# The whole digit-string recipe, from FSDD and synthetic voices to the committed model folder.
# Fixed seeds; on a 2-core machine without a GPU it took 38 minutes here.
#
#   models/recipes/digits/run.sh [OUT_DIR]      (default: models/digits-en-lstm)
#
# Needs Debian's python3-torch, python3-torchaudio, python3-onnx, python3-numpy, espeak-ng,
# flite and ffmpeg (installed below when missing). Work files go to models/recipes/out/digits.
#
# libopenblas0-openmp: Debian's torch does its matrix products through whatever libblas.so.3 the system
# selects, and without an optimized BLAS that is the reference implementation: an update then took 1.1 s
# instead of 0.2 s. Installing it makes OpenBLAS the system's BLAS (Debian's alternatives, highest priority).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${1:-$root/models/digits-en-lstm}"

need=(python3-torch python3-torchaudio python3-onnx python3-numpy libopenblas0-openmp espeak-ng flite ffmpeg)
missing=()
for p in "${need[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Debian's packages live in the system interpreter, whatever python3 is first on PATH.
py=/usr/bin/python3
work="${DIGITS_WORK:-$root/models/recipes/out/digits}"
time "$py" "$here/prepare.py" --jobs 2
# One training run: 8,000 updates (about 30 min), the first 250 on strings of 1-3 digits (where the alignment is
# easy to find), strings with a digit said twice in a row seen three times as often (a repeated digit heard once
# was nearly every error). One thread: the model is small, a second thread gained 20%, and on a machine busy with
# other work two OpenMP threads spin waiting for each other (an update took ten times longer).
time "$py" "$here/train.py" --threads 1 --steps 8000 --lr 3e-3 --repeat-weight 3 --seed 7
"$py" "$here/evaluate.py" "$work/final.pt"
# 80 ms chunks: the encoder gives the same output for any chunk size, and against 160 ms chunks words showed about
# 40 ms sooner and finals (the endpoint rule is checked after each chunk) up to 80 ms sooner, for 0.0002 more RTF.
"$py" "$here/export.py" --checkpoint "$work/final.pt" --out "$out" --decode-chunk-len 8
echo "model written to $out; measure it with: dotnet run -c Release --project tests/WebRtcAsr.Benchmarks -- digits --model $out"
