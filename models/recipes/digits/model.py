"""A small streaming transducer (RNN-T) for digit strings, in the layout of sherpa-onnx's
"lstm" streaming models.

Encoder: a convolutional front end that subsamples time by 4 WITHOUT padding, then a
unidirectional LSTM. Because the convolution has no padding and the LSTM is causal, running
the encoder on chunks of T = decode_chunk_len + 3 frames that advance by decode_chunk_len
frames (what sherpa-onnx does), carrying the LSTM state, gives exactly the output of running it
on the whole utterance, which is how it is trained.

Decoder: stateless (an embedding of the last `context_size` tokens and a 1-D convolution), as
icefall's; token -1 means "no token yet" (the start of a stream) and embeds to zeros.
Joiner: tanh(encoder + decoder) then a linear layer to the vocabulary.
"""
from __future__ import annotations

import torch
from torch import nn

FEATURE_DIM = 80
CONV_CONTEXT = 3  # extra input frames a chunk needs beyond decode_chunk_len


class Encoder(nn.Module):
    def __init__(self, hidden: int, layers: int, joiner_dim: int, channels: int = 32):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(1, channels // 2, kernel_size=3, stride=2),
            nn.ReLU(),
            nn.Conv2d(channels // 2, channels, kernel_size=3, stride=2),
            nn.ReLU(),
        )
        freq = ((FEATURE_DIM - 1) // 2 - 1) // 2
        self.embed = nn.Linear(channels * freq, hidden)
        self.norm = nn.LayerNorm(hidden)
        self.lstm = nn.LSTM(hidden, hidden, num_layers=layers, batch_first=True)
        self.out = nn.Linear(hidden, joiner_dim)
        self.layers = layers
        self.hidden = hidden
        # Fixed per-bin normalisation of the log-mel input (training-set mean and deviation), part of the
        # exported graph so the model takes sherpa-onnx's features as they are.
        self.register_buffer("feature_mean", torch.zeros(FEATURE_DIM))
        self.register_buffer("feature_std", torch.ones(FEATURE_DIM))

    @staticmethod
    def output_frames(frames: torch.Tensor) -> torch.Tensor:
        return ((frames - 1) // 2 - 1) // 2

    def forward(self, x: torch.Tensor, h: torch.Tensor, c: torch.Tensor):
        """x: (N, T, 80) features; h, c: (layers, N, hidden). Returns (N, T', joiner_dim), h', c'."""
        x = (x - self.feature_mean) / self.feature_std
        y = self.conv(x.unsqueeze(1))                 # (N, C, T', F')
        n, ch, t, f = y.shape
        y = y.permute(0, 2, 1, 3).reshape(n, t, ch * f)
        y = self.norm(torch.relu(self.embed(y)))
        z, (h, c) = self.lstm(y, (h, c))
        # The residual path gives the output frame-local evidence from the first update on, while the
        # LSTM learns the context: without it, training sits on the all-blank solution for a long time.
        return self.out(z + y), h, c


class Decoder(nn.Module):
    def __init__(self, vocab: int, dim: int, joiner_dim: int, context_size: int = 2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim)
        self.conv = nn.Conv1d(dim, dim, kernel_size=context_size, groups=dim // 4, bias=False)
        self.out = nn.Linear(dim, joiner_dim)
        self.context_size = context_size

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        """y: (N, U, context_size) int64 token contexts (-1 = none). Returns (N, U, joiner_dim)."""
        n, u, k = y.shape
        emb = self.embedding(y.clamp(min=0)) * (y >= 0).unsqueeze(-1).to(torch.float32)  # (N, U, K, D)
        emb = emb.reshape(n * u, k, -1).permute(0, 2, 1)                                  # (N*U, D, K)
        z = torch.relu(self.conv(emb)).squeeze(-1)                                        # (N*U, D)
        return self.out(z).reshape(n, u, -1)


class Joiner(nn.Module):
    def __init__(self, joiner_dim: int, vocab: int):
        super().__init__()
        self.out = nn.Linear(joiner_dim, vocab)

    def forward(self, encoder_out: torch.Tensor, decoder_out: torch.Tensor) -> torch.Tensor:
        return self.out(torch.tanh(encoder_out + decoder_out))


class Transducer(nn.Module):
    def __init__(self, vocab: int, hidden: int = 192, layers: int = 2, joiner_dim: int = 192, decoder_dim: int = 128, context_size: int = 2):
        super().__init__()
        self.encoder = Encoder(hidden, layers, joiner_dim)
        self.decoder = Decoder(vocab, decoder_dim, joiner_dim, context_size)
        self.joiner = Joiner(joiner_dim, vocab)
        # Training only: a CTC head on the encoder output. Its per-frame token gradients get the transducer
        # past the all-blank solution it otherwise sits in for hundreds of updates; not exported.
        self.ctc = nn.Linear(joiner_dim, vocab)
        self.vocab = vocab
        self.context_size = context_size

    def contexts(self, targets: torch.Tensor, blank: int = 0) -> torch.Tensor:
        """Decoder contexts for every prefix of the targets: (N, U+1, context_size), as decoding
        builds them: the stream starts from [-1, ..., -1, blank]."""
        n, u = targets.shape
        start = torch.full((n, self.context_size), -1, dtype=torch.int64)
        start[:, -1] = blank
        history = torch.cat([start, targets.to(torch.int64)], dim=1)  # (N, K + U)
        return history.unfold(1, self.context_size, 1)               # (N, U+1, K)
