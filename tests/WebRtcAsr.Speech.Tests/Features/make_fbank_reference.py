#!/usr/bin/env python3
"""Makes the reference log-mel frames that FbankReferenceTests compares OnlineFbank with.

Needs Debian's python3-torchaudio (torchaudio.compliance.kaldi.fbank is a port of Kaldi's
compute-fbank-feats). Run from anywhere:

    python3 make_fbank_reference.py --fsdd-wav path/to/free-spoken-digit-dataset/recordings/5_nicolas_2.wav

It writes, next to this script, into Data/:
  <name>.wav          16 kHz mono 16-bit input (what the test feeds OnlineFbank, as int16 / 32768)
  <name>.fbank.f32    reference frames: little-endian float32, row-major, frames x 80
  fbank_reference.json the list of signals, their frame counts and the settings below

How the settings map to sherpa-onnx 1.13.8 (sherpa-onnx/csrc/features.h, features.cc
InitFbank(); online transducer models leave every field at its default):
  sample rate 16000, feature_dim 80             -> sample_frequency=16000, num_mel_bins=80
  frame_length_ms 25, frame_shift_ms 10         -> frame_length=25, frame_shift=10
  dither 0 (FeatureExtractorConfig default)     -> dither=0.0
  snip_edges = false                            -> snip_edges=False (frames centred on 160*f+80,
                                                   reflected at both ends, round(N/160) frames)
  remove_dc_offset true, window "povey",        -> remove_dc_offset=True, window_type='povey',
  preemph 0.97, round_to_power_of_two true         preemphasis_coefficient=0.97, round_to_power_of_two=True
  low_freq 20, high_freq -400 (7600 Hz)         -> low_freq=20, high_freq=-400
  knf FbankOptions: use_energy false, use_power -> use_energy=False, use_power=True
  true, use_log_fbank true
  normalize_samples = true: the [-1, 1] samples go to knf unscaled (only normalize_samples = false
  multiplies by 32768)                          -> waveform passed as int16 / 32768, no scaling
  log floor: knf takes log(max(e, std::numeric_limits<float>::epsilon())). torchaudio floors at
  the epsilon of its dtype, so we ask it for the mel energies (use_log_fbank=False) and apply
  knf's float32 epsilon floor ourselves.

torchaudio runs here in float64, so the reference is Kaldi's algorithm with negligible rounding;
knf (and OnlineFbank, which follows knf's float32 arithmetic) differ from it by float32 rounding,
which the test's tolerance covers.
"""
import argparse
import json
import math
import pathlib
import wave

import torch
import torchaudio
from torchaudio.compliance import kaldi

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE / "Data"
SAMPLE_RATE = 16000
KNF_LOG_FLOOR = 1.1920928955078125e-07  # std::numeric_limits<float>::epsilon()

SETTINGS = dict(
    sample_frequency=SAMPLE_RATE,
    num_mel_bins=80,
    frame_length=25.0,
    frame_shift=10.0,
    dither=0.0,
    preemphasis_coefficient=0.97,
    remove_dc_offset=True,
    window_type="povey",
    round_to_power_of_two=True,
    low_freq=20.0,
    high_freq=-400.0,
    use_energy=False,
    use_power=True,
    snip_edges=False,
)


def to_int16(signal: torch.Tensor) -> torch.Tensor:
    return torch.clamp(torch.round(signal * 32767.0), -32768, 32767).to(torch.int16)


def write_wav(path: pathlib.Path, samples: torch.Tensor) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(samples.numpy().astype("<i2").tobytes())


def reference_frames(samples: torch.Tensor) -> torch.Tensor:
    waveform = (samples.to(torch.float64) / 32768.0).unsqueeze(0)
    energies = kaldi.fbank(waveform, use_log_fbank=False, **SETTINGS)
    return torch.log(torch.clamp(energies, min=KNF_LOG_FLOOR)).to(torch.float32)


def fsdd_signal(path: str) -> torch.Tensor:
    audio, rate = torchaudio.load(path)  # float in [-1, 1], 8 kHz
    audio = torchaudio.functional.resample(audio.to(torch.float64), rate, SAMPLE_RATE)
    return to_int16(audio[0])


def chirp_signal() -> torch.Tensor:
    # Exponential sweep 100 Hz -> 7000 Hz, 0.6 s plus 41 samples (not a whole number of frames).
    n = int(0.6 * SAMPLE_RATE) + 41
    t = torch.arange(n, dtype=torch.float64) / SAMPLE_RATE
    f0, f1, duration = 100.0, 7000.0, n / SAMPLE_RATE
    k = math.log(f1 / f0) / duration
    phase = 2 * math.pi * f0 * (torch.exp(k * t) - 1) / k
    return to_int16(0.5 * torch.sin(phase))


def silence_then_tone_signal() -> torch.Tensor:
    # 0.25 s of digital silence (every mel energy is 0 -> the log floor), then 0.2 s of 440 Hz.
    silence = torch.zeros(4000, dtype=torch.float64)
    t = torch.arange(3210, dtype=torch.float64) / SAMPLE_RATE
    tone = 0.3 * torch.sin(2 * math.pi * 440.0 * t)
    return to_int16(torch.cat([silence, tone]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fsdd-wav", required=True, help="an 8 kHz FSDD recording, e.g. 5_nicolas_2.wav")
    args = parser.parse_args()

    DATA.mkdir(exist_ok=True)
    signals = {
        "fsdd_5_nicolas_2": fsdd_signal(args.fsdd_wav),
        "chirp_100_7000": chirp_signal(),
        "silence_then_tone": silence_then_tone_signal(),
    }
    manifest = {"settings": SETTINGS, "log_floor": KNF_LOG_FLOOR, "torchaudio": torchaudio.__version__,
                "torch": torch.__version__, "signals": []}
    for name, samples in signals.items():
        frames = reference_frames(samples)
        write_wav(DATA / f"{name}.wav", samples)
        (DATA / f"{name}.fbank.f32").write_bytes(frames.numpy().astype("<f4").tobytes())
        manifest["signals"].append({"name": name, "samples": int(samples.numel()),
                                    "frames": int(frames.shape[0]), "dim": int(frames.shape[1])})
        print(f"{name}: {samples.numel()} samples -> {frames.shape[0]} frames")
    (DATA / "fbank_reference.json").write_text(json.dumps(manifest, indent=2) + "\n")


if __name__ == "__main__":
    main()
