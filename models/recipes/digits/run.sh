#!/usr/bin/env bash
# The whole digit-string recipe, from FSDD and synthetic voices to the committed model folder.
# Fixed seeds; on a 2-core machine without a GPU it takes well under two hours.
#
#   models/recipes/digits/run.sh [OUT_DIR]      (default: models/digits-en-lstm)
#
# Needs Debian's python3-torch, python3-torchaudio, python3-onnx, python3-numpy, espeak-ng,
# flite and ffmpeg (installed below when missing). Work files go to models/recipes/out/digits.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
out="${1:-$root/models/digits-en-lstm}"

need=(python3-torch python3-torchaudio python3-onnx python3-numpy espeak-ng flite ffmpeg)
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
# Training in four runs, exactly as the committed model was made. The first finds the alignment (short strings
# first, a high learning rate); the later ones continue from the last checkpoint with fresh schedules, the last one
# showing strings with a digit said twice in a row three times as often (a repeated digit heard once was nearly all
# of the remaining errors). Each run writes final.pt, which is kept under a stage name before the next one starts.
time "$py" "$here/train.py" --threads 2 --steps 1400 --seed 7
cp "$work/final.pt" "$work/stage1-final.pt"
time "$py" "$here/train.py" --threads 2 --init "$work/stage1-final.pt" --short-first 0 --steps 3000 --stop-at 300 --lr 2e-3 --seed 8
cp "$work/final.pt" "$work/stage2-step300.pt"
# One thread from here on: with two OpenMP threads on a machine that is also busy with other work, each update
# took ten times longer (the threads spin waiting for each other).
time "$py" "$here/train.py" --threads 1 --init "$work/stage2-step300.pt" --short-first 0 --steps 2200 --lr 2e-3 --seed 9
cp "$work/final.pt" "$work/stage3-final.pt"
time "$py" "$here/train.py" --threads 1 --init "$work/stage3-final.pt" --short-first 0 --steps 1500 --lr 1e-3 --seed 10 --repeat-weight 3
"$py" "$here/evaluate.py" "$work/final.pt"
"$py" "$here/export.py" --checkpoint "$work/final.pt" --out "$out"
echo "model written to $out; measure it with: dotnet run -c Release --project tests/WebRtcAsr.Benchmarks -- digits --model $out"
