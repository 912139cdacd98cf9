#!/usr/bin/python3
"""Step 1 of the digit-string recipe: make the training and test data.

- FSDD recordings (real speech, 5 male speakers) split by the dataset's convention:
  indexes 0-4 of each speaker and digit are test, 5-49 train.
- Synthetic voices (espeak-ng variants and flite), mostly female, for other voices and accents;
  "oh" exists only in the synthetic voices (FSDD says "zero").
- Digit strings of 1 to 16 digits made by concatenating clips of ONE speaker with random pauses,
  then augmented: speed, volume, additive noise, reverberation, band-limiting, and codec round
  trips (G.711 mu-law and A-law at 8 kHz, Opus at 16-32 kbit/s).
- Features (80-bin fbank, as sherpa-onnx computes them) are written to the work folder.

Usage: prepare.py [--train-utterances N] [--seed S] [--jobs J]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402

ESPEAK_VOICES = [
    "en-us+f1", "en-us+f2", "en-us+f3", "en-us+f4", "en-us+f5",
    "en-gb+f2", "en-gb+f4", "en-gb-scotland+f3", "en-029+f1", "en-gb-x-rp+f5",
    "en-us-nyc+f2", "en-us", "en-gb-x-gbclan", "en-029",
]
FLITE_VOICES = ["slt", "kal16", "awb", "rms"]
SYNTH_RENDITIONS = 10          # renditions per voice and word; rendition 0 is held out for test
SYNTH_SHARE = 0.3              # share of utterances spoken by a synthetic voice


# ---------------------------------------------------------------- clips

def trim(x: np.ndarray, threshold_db: float = -40.0) -> np.ndarray:
    """Cut leading/trailing silence (synthetic voices pad their output)."""
    if len(x) == 0:
        return x
    frame = 160
    n = len(x) // frame
    if n == 0:
        return x
    energy = (x[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    peak = energy.max()
    if peak <= 0:
        return x
    keep = np.nonzero(10 * np.log10(energy / peak + 1e-12) > threshold_db)[0]
    return x[max(0, keep[0] - 2) * frame: min(n, keep[-1] + 3) * frame]


def fsdd_clips() -> dict:
    """{(split, speaker): {word: [clip, ...]}} from FSDD, resampled to 16 kHz."""
    clips: dict = {}
    for path in sorted(common.fsdd_dir().glob("*.wav")):
        digit, speaker, index = path.stem.split("_")
        split = "test" if int(index) < 5 else "train"
        x, rate = common.load_wav(path)
        x = common.resample(x, rate, common.SAMPLE_RATE)
        word = common.FSDD_WORD_OF_DIGIT[int(digit)]
        clips.setdefault((split, speaker), {}).setdefault(word, []).append(x)
    return clips


def synth_one(job: tuple) -> tuple:
    engine, voice, word, rendition, speed, pitch = job
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "x.wav"
        if engine == "espeak":
            cmd = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(out), word]
        else:
            # flite: duration_stretch slows or speeds the voice; pitch is left as the voice's own.
            cmd = ["flite", "-voice", voice, "--setf", f"duration_stretch={175.0 / speed:.3f}", "-t", word, "-o", str(out)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        x, rate = common.load_wav(out)
    x = trim(common.resample(x, rate, common.SAMPLE_RATE))
    peak = np.abs(x).max() or 1.0
    return (f"syn-{engine}-{voice}", "test" if rendition == 0 else "train", word, (x / peak * 0.5).astype(np.float32))


def synthetic_clips(rng: np.random.Generator, jobs: int) -> dict:
    work = []
    for engine, voices in (("espeak", ESPEAK_VOICES), ("flite", FLITE_VOICES)):
        for voice in voices:
            for word in common.WORDS:
                for rendition in range(SYNTH_RENDITIONS):
                    speed = int(rng.integers(120, 230))
                    pitch = int(rng.integers(25, 85))
                    work.append((engine, voice, word, rendition, speed, pitch))
    clips: dict = {}
    with multiprocessing.Pool(jobs) as pool:
        for speaker, split, word, x in pool.imap(synth_one, work, chunksize=16):
            clips.setdefault((split, speaker), {}).setdefault(word, []).append(x)
    return clips


# ---------------------------------------------------------------- augmentation

def colored_noise(rng: np.random.Generator, n: int) -> np.ndarray:
    white = rng.standard_normal(n).astype(np.float32)
    kind = rng.integers(0, 3)
    if kind == 0:
        return white
    spectrum = np.fft.rfft(white)
    f = np.arange(len(spectrum), dtype=np.float32)
    f[0] = 1.0
    spectrum /= np.sqrt(f) if kind == 1 else f  # pink or brown
    noise = np.fft.irfft(spectrum, n).astype(np.float32)
    return noise / (noise.std() + 1e-9)


def reverberate(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    rt60 = rng.uniform(0.15, 0.7)
    length = int(rt60 * common.SAMPLE_RATE)
    t = np.arange(length) / common.SAMPLE_RATE
    rir = rng.standard_normal(length).astype(np.float32) * np.exp(-6.9 * t / rt60).astype(np.float32)
    rir[0] = 1.0 / rng.uniform(0.2, 0.8)  # the direct path
    rir /= np.sqrt((rir ** 2).sum())
    n = len(x) + length - 1
    size = 1 << (n - 1).bit_length()
    y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(rir, size), size)[: len(x)]
    return y.astype(np.float32)


def bandlimit(x: np.ndarray, low: float, high: float) -> np.ndarray:
    spectrum = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1.0 / common.SAMPLE_RATE)
    spectrum[(f < low) | (f > high)] = 0
    return np.fft.irfft(spectrum, len(x)).astype(np.float32)


def opus_roundtrip(x: np.ndarray, kbps: int) -> np.ndarray:
    """Encode with libopus (20 ms frames) and decode, through ffmpeg."""
    encode = ["ffmpeg", "-loglevel", "error", "-f", "f32le", "-ar", "16000", "-ac", "1", "-i", "pipe:0",
              "-c:a", "libopus", "-b:a", f"{kbps}k", "-frame_duration", "20", "-application", "voip", "-f", "ogg", "pipe:1"]
    decode = ["ffmpeg", "-loglevel", "error", "-i", "pipe:0", "-f", "f32le", "-ar", "16000", "-ac", "1", "pipe:1"]
    ogg = subprocess.run(encode, input=x.astype(np.float32).tobytes(), capture_output=True, check=True).stdout
    pcm = subprocess.run(decode, input=ogg, capture_output=True, check=True).stdout
    y = np.frombuffer(pcm, dtype=np.float32)
    out = np.zeros_like(x)
    out[: min(len(x), len(y))] = y[: len(x)]
    return out


def channel(rng: np.random.Generator, x: np.ndarray) -> tuple[np.ndarray, str]:
    r = rng.uniform()
    if r < 0.45:
        return x, "clean"
    if r < 0.55:
        return bandlimit(x, 300, 3400), "band"
    if r < 0.70:
        y = common.mulaw_roundtrip(common.resample(bandlimit(x, 200, 3600), 16000, 8000))
        return common.resample(y, 8000, 16000), "pcmu"
    if r < 0.80:
        y = common.alaw_roundtrip(common.resample(bandlimit(x, 200, 3600), 16000, 8000))
        return common.resample(y, 8000, 16000), "pcma"
    kbps = int(rng.choice([16, 20, 24, 32]))
    return opus_roundtrip(x, kbps), f"opus{kbps}"


# ---------------------------------------------------------------- utterances

def string_length(rng: np.random.Generator) -> int:
    r = rng.uniform()
    if r < 0.4:
        return int(rng.integers(1, 5))
    if r < 0.75:
        return int(rng.integers(5, 11))
    return int(rng.integers(11, 17))


def pause(rng: np.random.Generator) -> float:
    r = rng.uniform()
    if r < 0.7:
        return rng.uniform(0.02, 0.35)
    if r < 0.95:
        return rng.uniform(0.35, 1.0)
    return rng.uniform(1.0, 2.5)


def compose(rng: np.random.Generator, words: dict, synthetic: bool) -> tuple[np.ndarray, list[str]]:
    n = string_length(rng) if rng.uniform() > 0.03 else 0
    said = []
    for _ in range(n):
        digit = int(rng.integers(0, 10))
        word = common.FSDD_WORD_OF_DIGIT[digit]
        if digit == 0 and synthetic and rng.uniform() < 0.5:
            word = "oh"
        said.append(word)
    parts = [np.zeros(int(rng.uniform(0.1, 0.8) * common.SAMPLE_RATE), np.float32)]
    level = rng.uniform(0.7, 1.3)
    for i, word in enumerate(said):
        clip = words[word][int(rng.integers(0, len(words[word])))]
        parts.append(clip * level * rng.uniform(0.8, 1.25))
        if i + 1 < len(said):
            parts.append(np.zeros(int(pause(rng) * common.SAMPLE_RATE), np.float32))
    parts.append(np.zeros(int(rng.uniform(0.3, 1.0) * common.SAMPLE_RATE), np.float32))
    return np.concatenate(parts), said


def augment(rng: np.random.Generator, x: np.ndarray) -> tuple[np.ndarray, str]:
    tags = []
    speed = float(rng.choice([0.9, 1.0, 1.0, 1.1]))
    if speed != 1.0:
        x = common.resample(x, int(common.SAMPLE_RATE * speed), common.SAMPLE_RATE)
        tags.append(f"speed{speed}")
    if rng.uniform() < 0.3:
        x = reverberate(rng, x)
        tags.append("reverb")
    rms = np.sqrt(np.mean(x ** 2)) + 1e-9
    if rng.uniform() < 0.7:
        snr = rng.uniform(5, 40)
        x = x + colored_noise(rng, len(x)) * rms / (10 ** (snr / 20))
        tags.append(f"snr{snr:.0f}")
    else:
        x = x + rng.standard_normal(len(x)).astype(np.float32) * 1e-4  # a microphone's own floor
    x, codec = channel(rng, x)
    tags.append(codec)
    gain = 10 ** (rng.uniform(-20, 6) / 20) * 0.3 / (np.abs(x).max() + 1e-9)
    return np.clip(x * gain, -1, 1).astype(np.float32), "+".join(tags)


def make_utterance(args: tuple) -> dict:
    seed, split, speaker, synthetic, words, augmented = args
    rng = np.random.default_rng(seed)
    x, said = compose(rng, words, synthetic)
    tags = "clean"
    if augmented:
        x, tags = augment(rng, x)
    return {
        "speaker": speaker,
        "words": said,
        "tags": tags,
        "samples": x if split == "test" else None,
        "feats": common.fbank(x).astype(np.float16),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train-utterances", type=int, default=9000)
    parser.add_argument("--test-strings-per-speaker", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    common.WORK_DIR.mkdir(parents=True, exist_ok=True)
    print("loading FSDD ...", flush=True)
    real = fsdd_clips()
    print("synthesising voices ...", flush=True)
    synthetic = synthetic_clips(rng, args.jobs)
    train_real = sorted(k for k in real if k[0] == "train")
    train_syn = sorted(k for k in synthetic if k[0] == "train")

    jobs = []
    for i in range(args.train_utterances):
        synth = rng.uniform() < SYNTH_SHARE
        key = train_syn[int(rng.integers(0, len(train_syn)))] if synth else train_real[int(rng.integers(0, len(train_real)))]
        words = (synthetic if synth else real)[key]
        jobs.append((int(rng.integers(0, 2**63 - 1)), "train", key[1], synth, words, True))
    write_split("train", jobs, args.jobs)

    # Held-out test strings: clean, from the test recordings only (FSDD indexes 0-4 and the
    # synthetic renditions kept apart), a fixed number per speaker.
    test_jobs = []
    for key in sorted(k for k in real if k[0] == "test") + sorted(k for k in synthetic if k[0] == "test"):
        words = (real if key in real else synthetic)[key]
        for _ in range(args.test_strings_per_speaker if key in real else 4):
            test_jobs.append((int(rng.integers(0, 2**63 - 1)), "test", key[1], key not in real, words, False))
    write_split("test", test_jobs, args.jobs)


def write_split(split: str, jobs: list, processes: int) -> None:
    feats, index = [], []
    offset = 0
    wav_dir = common.WORK_DIR / f"{split}-wav"
    if split == "test":
        wav_dir.mkdir(parents=True, exist_ok=True)
    with multiprocessing.Pool(processes) as pool:
        for i, u in enumerate(pool.imap(make_utterance, jobs, chunksize=8)):
            n = len(u["feats"])
            feats.append(u["feats"])
            entry = {"id": f"{split}-{i:05d}", "speaker": u["speaker"], "words": u["words"], "tags": u["tags"], "offset": offset, "frames": n}
            if u["samples"] is not None:
                import torchaudio, torch  # noqa: E401
                path = wav_dir / f"{entry['id']}.wav"
                torchaudio.save(str(path), torch.from_numpy(u["samples"]).unsqueeze(0), common.SAMPLE_RATE, bits_per_sample=16, encoding="PCM_S")
                entry["wav"] = path.name
            index.append(entry)
            offset += n
            if (i + 1) % 500 == 0:
                print(f"{split}: {i + 1}/{len(jobs)} utterances", flush=True)
    np.save(common.WORK_DIR / f"{split}-feats.npy", np.concatenate(feats))
    (common.WORK_DIR / f"{split}-index.json").write_text(json.dumps(index))
    hours = offset / 100 / 3600
    synth = sum(1 for e in index if e["speaker"].startswith("syn-"))
    print(f"{split}: {len(index)} utterances, {hours:.2f} h, {synth / max(1, len(index)):.0%} synthetic", flush=True)


if __name__ == "__main__":
    main()
