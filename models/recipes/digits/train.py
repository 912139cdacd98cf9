#!/usr/bin/python3
"""Step 2 of the digit-string recipe: train the transducer on the prepared features.

Usage: train.py [--steps N] [--seed S] [--threads N] [--init CHECKPOINT --short-first 0]

--init continues from an earlier checkpoint (weights and input normalization) with a fresh
learning-rate schedule: the way to train longer without starting over.
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys
import time

import numpy as np
import torch
import torchaudio

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402
from model import Transducer  # noqa: E402


def load(split: str):
    feats = np.load(common.WORK_DIR / f"{split}-feats.npy", mmap_mode="r")
    index = json.loads((common.WORK_DIR / f"{split}-index.json").read_text())
    token_of = {w: i + 1 for i, w in enumerate(common.WORDS)}
    for entry in index:
        entry["tokens"] = [token_of[w] for w in entry["words"]]
    return feats, index


def batches(rng: np.random.Generator, index: list, max_frames: int):
    """Length-bucketed batches of about max_frames feature frames each."""
    order = sorted(range(len(index)), key=lambda i: index[i]["frames"] + rng.uniform(0, 40))
    batch, longest = [], 0
    out = []
    for i in order:
        longest = max(longest, index[i]["frames"])
        if batch and longest * (len(batch) + 1) > max_frames:
            out.append(batch)
            batch, longest = [], index[i]["frames"]
        batch.append(i)
    if batch:
        out.append(batch)
    rng.shuffle(out)
    return out


def spec_augment(rng: np.random.Generator, x: torch.Tensor) -> torch.Tensor:
    """Two frequency masks and a few short time masks, per utterance, filled with the utterance's
    quietest level (the features are log energies of [-1, 1] audio: 0 would be a loud blob)."""
    n, t, f = x.shape
    for b in range(n):
        floor = float(x[b].min())
        for _ in range(2):
            w = int(rng.integers(0, 12))
            s = int(rng.integers(0, f - w))
            x[b, :, s:s + w] = floor
        for _ in range(max(1, t // 150)):
            w = int(rng.integers(0, 8))
            s = int(rng.integers(0, max(1, t - w)))
            x[b, s:s + w, :] = floor
    return x


def collate(feats, index, ids, rng=None):
    frames = [index[i]["frames"] for i in ids]
    longest = max(frames)
    x = torch.zeros(len(ids), longest, 80)
    for b, i in enumerate(ids):
        e = index[i]
        x[b, : e["frames"]] = torch.from_numpy(np.asarray(feats[e["offset"]: e["offset"] + e["frames"]], dtype=np.float32))
    if rng is not None:
        x = spec_augment(rng, x)
    u = max(len(index[i]["tokens"]) for i in ids)  # may be 0: a batch of silence only
    y = torch.zeros(len(ids), u, dtype=torch.int32)
    ylen = torch.zeros(len(ids), dtype=torch.int32)
    for b, i in enumerate(ids):
        tok = index[i]["tokens"]
        y[b, : len(tok)] = torch.tensor(tok, dtype=torch.int32)
        ylen[b] = len(tok)
    return x, torch.tensor(frames), y, ylen


def loss_of(model: Transducer, x, xlen, y, ylen, ctc_weight: float = 0.0):
    n = x.shape[0]
    h = torch.zeros(model.encoder.layers, n, model.encoder.hidden)
    enc, _, _ = model.encoder(x, h, h.clone())
    enc_len = model.encoder.output_frames(xlen).clamp(min=1).to(torch.int32)
    enc = enc[:, : int(enc_len.max())]
    dec = model.decoder(model.contexts(y))                                  # (N, U+1, J)
    logits = model.joiner(enc.unsqueeze(2), dec.unsqueeze(1))               # (N, T, U+1, V)
    loss = torchaudio.functional.rnnt_loss(logits, y, enc_len, ylen, blank=0, reduction="mean", clamp=-1)
    if ctc_weight > 0:
        log_probs = model.ctc(enc).log_softmax(-1).transpose(0, 1)          # (T, N, V)
        ctc = torch.nn.functional.ctc_loss(log_probs, y, enc_len, ylen, blank=0, reduction="mean", zero_infinity=True)
        loss = loss + ctc_weight * ctc * ylen.clamp(min=1).float().mean()  # ctc "mean" divides by target length
    return loss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=1400, help="parameter updates in all")
    parser.add_argument("--hidden", type=int, default=128, help="LSTM size (and joiner size)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-frames", type=int, default=12000, help="feature frames per batch")
    parser.add_argument("--checkpoint-every", type=int, default=100)
    parser.add_argument("--ctc-weight", type=float, default=0.5)
    parser.add_argument("--short-first", type=int, default=250, help="updates on the shortest strings first (a curriculum)")
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--init", type=pathlib.Path, help="start from this checkpoint's weights")
    parser.add_argument("--repeat-weight", type=int, default=1,
                        help="times per epoch a string with a digit said twice in a row is seen (repeats are the hardest case)")
    parser.add_argument("--stop-at", type=int, help="stop after this many updates (the schedule still spans --steps)")
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    feats, index = load("train")
    test_feats, test_index = load("test")
    model = Transducer(vocab=len(common.TOKENS), hidden=args.hidden, joiner_dim=args.hidden)
    sample = np.asarray(feats[::97], dtype=np.float32)
    model.encoder.feature_mean.copy_(torch.from_numpy(sample.mean(axis=0)))
    model.encoder.feature_std.copy_(torch.from_numpy(sample.std(axis=0) + 1e-3))
    if args.init:
        checkpoint = torch.load(args.init, map_location="cpu")
        if checkpoint["hidden"] != args.hidden:
            sys.exit(f"{args.init} has hidden size {checkpoint['hidden']}, not {args.hidden}")
        model.load_state_dict(checkpoint["state"])
        print(f"continuing from {args.init}", flush=True)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {params:,} parameters; {len(index)} training utterances; {args.steps} updates", flush=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    warmup = max(1, args.steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / warmup) * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, s / args.steps)))))
    held_out = batches(np.random.default_rng(0), test_index, args.max_frames)

    last = min(args.steps, args.stop_at or args.steps)
    step, epoch, started, running = 0, 0, time.time(), 0.0
    short = [i for i, e in enumerate(index) if len(e["words"]) <= 3]
    has_repeat = lambda e: any(a == b for a, b in zip(e["words"], e["words"][1:]))  # noqa: E731
    weighted = [i for i, e in enumerate(index) for _ in range(args.repeat_weight if has_repeat(e) else 1)]
    while step < last:
        plan = [[weighted[j] for j in b] for b in batches(rng, [index[i] for i in weighted], args.max_frames)]
        if step < args.short_first:
            # Curriculum: strings of 1 to 3 digits first, where the alignment is easy to find.
            subset = [index[i] for i in short]
            plan = [[short[j] for j in b] for b in batches(rng, subset, args.max_frames)][: args.short_first - step]
        for ids in plan:
            model.train()
            x, xlen, y, ylen = collate(feats, index, ids, rng)
            loss = loss_of(model, x, xlen, y, ylen, args.ctc_weight)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            schedule.step()
            step += 1
            running += loss.item()
            if step % 10 == 0:
                print(f"step {step}/{args.steps} (epoch {epoch}) loss {running / 10:.4f} "
                      f"lr {schedule.get_last_lr()[0]:.2e} {time.time() - started:.0f}s", flush=True)
                running = 0.0
            if step % args.checkpoint_every == 0 or step == last:
                model.eval()
                with torch.no_grad():
                    test_loss = np.mean([loss_of(model, *collate(test_feats, test_index, b)).item() for b in held_out])
                print(f"step {step}: held-out loss {test_loss:.4f}", flush=True)
                torch.save({"hidden": args.hidden, "state": model.state_dict()}, common.WORK_DIR / f"step-{step}.pt")
            if step >= last:
                break
        if step >= args.short_first:
            epoch += 1
    torch.save({"hidden": args.hidden, "state": model.state_dict()}, common.WORK_DIR / "final.pt")


if __name__ == "__main__":
    main()
