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
time "$py" "$here/prepare.py" --jobs 2
time "$py" "$here/train.py" --threads 2
"$py" "$here/export.py" --checkpoint "${DIGITS_WORK:-$root/models/recipes/out/digits}/final.pt" --out "$out"
echo "model written to $out; measure it with: scripts/evaluate-digits.sh $out"
