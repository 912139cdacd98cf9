#!/usr/bin/env bash
# Builds the committed 16 kHz test utterances from Free Spoken Digit Dataset recordings
# (8 kHz, one digit per file): digits of one speaker joined with short pauses, with a lead-in
# and a trailing silence, resampled to 16 kHz with sox. The output is deterministic
# (sox without dither), so running this again reproduces the committed files byte for byte.
#
#   make_audio.sh [FSDD_RECORDINGS_DIR]
#
# The folder defaults to $WEBRTCASR_FSDD, else <repo>/../shared/data/fsdd/recordings.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../.." && pwd)"
fsdd="${1:-${WEBRTCASR_FSDD:-$root/../shared/data/fsdd/recordings}}"
[ -d "$fsdd" ] || { echo "make_audio: FSDD recordings not found at $fsdd" >&2; exit 1; }
command -v sox >/dev/null || { echo "make_audio: sox is missing (apt-get install sox)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# silence NAME SECONDS: an 8 kHz 16-bit mono file of digital silence
silence() { sox -D -n -r 8000 -c 1 -b 16 "$tmp/$1.wav" trim 0 "$2"; }
silence lead 0.30
silence gap 0.20
silence tail 0.50

# make NAME SPEAKER INDEX DIGITS...: speaker's recordings of DIGITS (take INDEX) joined by gaps.
# Indexes 0-4 are FSDD's test split, so these files never overlap a training split.
make() {
  local name="$1" speaker="$2" index="$3"; shift 3
  local parts=("$tmp/lead.wav") first=1
  for d in "$@"; do
    [ $first = 1 ] || parts+=("$tmp/gap.wav")
    parts+=("$fsdd/${d}_${speaker}_${index}.wav")
    first=0
  done
  parts+=("$tmp/tail.wav")
  sox -D "${parts[@]}" -r 16000 -b 16 -c 1 "$here/$name.wav" rate -h
  echo "$name.wav: $speaker #$index digits $*" >&2
}

make digits-3141-jackson jackson 0 3 1 4 1
make digits-2718-george george 1 2 7 1 8
make digits-95-lucas lucas 2 9 5
make digits-60221-nicolas nicolas 3 6 0 2 2 1
make digits-8-yweweler yweweler 4 8
make digits-4242424-jackson jackson 4 4 2 4 2 4 2 4
