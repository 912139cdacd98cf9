#!/usr/bin/python3
"""Step 3 of the digit-string recipe: export the trained model to ONNX in sherpa-onnx's
"lstm" streaming layout (encoder/decoder/joiner with the metadata sherpa-onnx reads), plus
tokens.txt, into a model folder.

Usage: export.py --checkpoint CKPT --out DIR [--decode-chunk-len 8]
"""
from __future__ import annotations

import argparse
import pathlib
import sys

import onnx
import torch
from torch import nn

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402
from model import CONV_CONTEXT, FEATURE_DIM, Transducer  # noqa: E402


class DecoderForExport(nn.Module):
    """(N, context_size) int64 -> (N, joiner_dim): one context per stream, as sherpa-onnx runs it."""

    def __init__(self, model: Transducer):
        super().__init__()
        self.decoder = model.decoder

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        return self.decoder(y.unsqueeze(1)).squeeze(1)


def add_metadata(path: pathlib.Path, meta: dict) -> None:
    model = onnx.load(str(path))
    for key, value in meta.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, str(value)
    onnx.save(model, str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoint", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--decode-chunk-len", type=int, default=8,
                        help="feature frames per chunk (10 ms each); a multiple of 4. The encoder computes the same for any chunk size; "
                             "a smaller one shows words sooner and lets the endpoint rule be checked more often, at more calls per second")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    checkpoint = torch.load(args.checkpoint, map_location="cpu")
    model = Transducer(vocab=len(common.TOKENS), hidden=checkpoint["hidden"], joiner_dim=checkpoint["hidden"])
    model.load_state_dict(checkpoint["state"])
    model.eval()
    enc = model.encoder
    chunk = args.decode_chunk_len
    T = chunk + CONV_CONTEXT

    x = torch.zeros(1, T, FEATURE_DIM)
    h = torch.zeros(enc.layers, 1, enc.hidden)
    torch.onnx.export(
        enc, (x, h, h.clone()), str(out / "encoder.onnx"), opset_version=13,
        input_names=["x", "h", "c"], output_names=["encoder_out", "next_h", "next_c"],
        dynamic_axes={"x": {0: "N", 1: "T"}, "h": {1: "N"}, "c": {1: "N"},
                      "encoder_out": {0: "N"}, "next_h": {1: "N"}, "next_c": {1: "N"}})
    add_metadata(out / "encoder.onnx", {
        "model_type": "lstm", "version": "1", "model_author": "WebRtcAsr digits recipe",
        "decode_chunk_len": chunk, "T": T, "num_encoder_layers": enc.layers,
        "d_model": enc.hidden, "rnn_hidden_size": enc.hidden,
        "comment": "streaming digit-string transducer; see models/recipes/digits"})

    y = torch.tensor([[-1, 0]], dtype=torch.int64)
    torch.onnx.export(
        DecoderForExport(model), (y,), str(out / "decoder.onnx"), opset_version=13,
        input_names=["y"], output_names=["decoder_out"],
        dynamic_axes={"y": {0: "N"}, "decoder_out": {0: "N"}})
    add_metadata(out / "decoder.onnx", {"context_size": model.context_size, "vocab_size": model.vocab})

    e = torch.zeros(1, model.joiner.out.in_features)
    torch.onnx.export(
        model.joiner, (e, e.clone()), str(out / "joiner.onnx"), opset_version=13,
        input_names=["encoder_out", "decoder_out"], output_names=["logit"],
        dynamic_axes={"encoder_out": {0: "N"}, "decoder_out": {0: "N"}, "logit": {0: "N"}})
    add_metadata(out / "joiner.onnx", {"joiner_dim": model.joiner.out.in_features})

    (out / "tokens.txt").write_text("".join(f"{t} {i}\n" for i, t in enumerate(common.TOKENS)), encoding="utf-8")
    print(f"exported to {out}: T={T}, decode_chunk_len={chunk}")


if __name__ == "__main__":
    main()
