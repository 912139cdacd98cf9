#!/usr/bin/python3
"""Quick held-out check of a training checkpoint, in PyTorch: greedy transducer decoding (one symbol
per encoder frame at most, as sherpa-onnx's greedy search) of the prepared test features, and the
digit error rate per condition. It is for choosing checkpoints while training; the model card's
figures come from the C# benchmark (`benchmarks digits`) through the real streaming path.

Usage: evaluate.py CHECKPOINT [CHECKPOINT ...] [--show-errors N]
"""
from __future__ import annotations

import argparse
import collections
import pathlib
import sys

import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402
from model import Transducer  # noqa: E402
from train import load  # noqa: E402


def edit_distance(a: list, b: list) -> int:
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


@torch.no_grad()
def greedy(model: Transducer, feats: np.ndarray) -> list[int]:
    x = torch.from_numpy(np.asarray(feats, dtype=np.float32)).unsqueeze(0)
    h = torch.zeros(model.encoder.layers, 1, model.encoder.hidden)
    enc, _, _ = model.encoder(x, h, h.clone())
    history = [-1] * (model.context_size - 1) + [0]
    dec = model.decoder(torch.tensor([[history[-model.context_size:]]]))[0, 0]
    out = []
    for t in range(enc.shape[1]):
        token = int(model.joiner(enc[0, t], dec).argmax())
        if token != 0:
            out.append(token)
            history.append(token)
            dec = model.decoder(torch.tensor([[history[-model.context_size:]]]))[0, 0]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("checkpoints", nargs="+", type=pathlib.Path)
    parser.add_argument("--show-errors", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    feats, index = load("test")
    digit = [None] + [common.DIGIT_OF_WORD[w] for w in common.WORDS]
    for path in args.checkpoints:
        checkpoint = torch.load(path, map_location="cpu")
        model = Transducer(vocab=len(common.TOKENS), hidden=checkpoint["hidden"], joiner_dim=checkpoint["hidden"])
        model.load_state_dict(checkpoint["state"])
        model.eval()
        errors, digits, shown = collections.Counter(), collections.Counter(), 0
        for e in index:
            ref = [common.DIGIT_OF_WORD[w] for w in e["words"]]
            hyp = [digit[t] for t in greedy(model, feats[e["offset"]: e["offset"] + e["frames"]])]
            d = edit_distance(ref, hyp)
            errors[e["tags"]] += d
            digits[e["tags"]] += len(ref)
            if d and shown < args.show_errors:
                print(f"  {e['id']} {e['tags']}: {''.join(ref)} -> {''.join(hyp)}")
                shown += 1
        per_tag = " ".join(f"{t} {errors[t] / max(1, digits[t]):.2%}" for t in sorted(digits))
        print(f"{path.name}: all {sum(errors.values()) / sum(digits.values()):.2%} ({sum(errors.values())}/{sum(digits.values())}); {per_tag}", flush=True)


if __name__ == "__main__":
    main()
