"""Shared definitions of the digit-string recipe: vocabulary, features, codecs, paths.

Everything here is deterministic; randomness is always drawn from a numpy Generator that
the caller seeds.
"""
from __future__ import annotations

import os
import pathlib

import numpy as np
import torch
import torchaudio

SAMPLE_RATE = 16000

# Word-level vocabulary: one token per spoken digit. "oh" is zero as said in phone numbers.
# Token 0 is the transducer's blank, as sherpa-onnx expects.
WORDS = ["zero", "oh", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
TOKENS = ["<blk>"] + ["\u2581" + w for w in WORDS]
DIGIT_OF_WORD = {w: ("0" if w in ("zero", "oh") else str(WORDS.index(w) - 1)) for w in WORDS}
FSDD_WORD_OF_DIGIT = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

RECIPE_DIR = pathlib.Path(__file__).resolve().parent
REPO_ROOT = RECIPE_DIR.parents[2]
WORK_DIR = pathlib.Path(os.environ.get("DIGITS_WORK", RECIPE_DIR.parent / "out" / "digits"))


def fsdd_dir() -> pathlib.Path:
    """The FSDD recordings: $WEBRTCASR_FSDD, else shared/data/fsdd/recordings beside the checkout."""
    env = os.environ.get("WEBRTCASR_FSDD")
    path = pathlib.Path(env) if env else REPO_ROOT.parent / "shared" / "data" / "fsdd" / "recordings"
    if not path.is_dir():
        raise SystemExit(f"FSDD recordings not found at {path}; set WEBRTCASR_FSDD")
    return path


def fbank(samples: np.ndarray) -> np.ndarray:
    """80-bin log-mel filterbank with the settings sherpa-onnx uses for its online models
    (kaldi-native-fbank: 25 ms Povey window, 10 ms shift, pre-emphasis 0.97, DC removal,
    no dither, 20 Hz to Nyquist-400 Hz, snip_edges false). sherpa-onnx feeds transducers the
    samples as they are, in [-1, 1] (normalize_samples is true), so they are not scaled here either."""
    wave = torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)).unsqueeze(0)
    feats = torchaudio.compliance.kaldi.fbank(
        wave,
        num_mel_bins=80,
        frame_length=25.0,
        frame_shift=10.0,
        dither=0.0,
        energy_floor=0.0,
        sample_frequency=SAMPLE_RATE,
        low_freq=20.0,
        high_freq=-400.0,
        snip_edges=False,
        window_type="povey",
        preemphasis_coefficient=0.97,
        remove_dc_offset=True,
    )
    return feats.numpy()


# ---------------------------------------------------------------- G.711 (ITU-T G.711), for augmentation

def mulaw_roundtrip(x: np.ndarray) -> np.ndarray:
    """Encode to G.711 mu-law and decode again (8 kHz signal in [-1, 1])."""
    pcm = np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int32)
    sign = pcm < 0
    mag = np.minimum(np.abs(pcm), 32635) + 0x84
    exponent = np.floor(np.log2(mag)).astype(np.int32) - 7
    exponent = np.clip(exponent, 0, 7)
    mantissa = (mag >> (exponent + 3)) & 0x0F
    decoded = (((mantissa << 3) + 0x84) << exponent) - 0x84
    return np.where(sign, -decoded, decoded).astype(np.float32) / 32768.0


def alaw_roundtrip(x: np.ndarray) -> np.ndarray:
    """Encode to G.711 A-law and decode again (8 kHz signal in [-1, 1])."""
    pcm = np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int32) >> 3  # 13-bit
    sign = pcm < 0
    mag = np.minimum(np.where(sign, -pcm - 1, pcm), 4095)
    exponent = np.where(mag < 32, 0, np.floor(np.log2(np.maximum(mag, 1))).astype(np.int32) - 4)
    exponent = np.clip(exponent, 0, 7)
    mantissa = np.where(exponent == 0, mag >> 1, mag >> exponent) & 0x0F
    decoded = np.where(exponent == 0, (mantissa << 1) + 1, ((mantissa << 1) + 33) << (exponent - 1))
    return np.where(sign, -decoded, decoded).astype(np.float32) * 8 / 32768.0


def resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    if src == dst:
        return x.astype(np.float32)
    return torchaudio.functional.resample(torch.from_numpy(x.astype(np.float32)), src, dst).numpy()


def load_wav(path: pathlib.Path) -> tuple[np.ndarray, int]:
    wave, rate = torchaudio.load(str(path))
    return wave.mean(dim=0).numpy().astype(np.float32), rate
