#!/usr/bin/env python3
"""PyTorch reference for VaeMl's benchmarks: the same VAE, data, batch, learning rate and initialization.

Trains on the MNIST IDX files in --data, then prints machine-readable lines:
  pytorch train arch=784-512-256-2 threads=1 epochs=2 rows_per_s=... test_nelbo_mean=... test_nelbo_sampled=...
  pytorch score arch=784-512-256-2 threads=1 batch=1024 rows_per_s=...
"""
import argparse
import gzip
import os
import statistics
import struct
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(directory, stem):
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"pytorch_vae: {stem} not found in {directory}")


def load(directory, kind):
    images = read_idx(find(directory, f"{kind}-images-idx3-ubyte"))
    return torch.from_numpy(images.reshape(images.shape[0], -1).astype(np.float32) / 255.0)


def glorot(layer):
    # Keras' Dense initialization, as VaeMl uses: Glorot-uniform weights, zero biases.
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


class Vae(nn.Module):
    def __init__(self, features, hidden, latent):
        super().__init__()
        widths = [features] + hidden
        self.encoder = nn.ModuleList(glorot(nn.Linear(a, b)) for a, b in zip(widths, widths[1:]))
        self.mean = glorot(nn.Linear(widths[-1], latent))
        self.log_var = glorot(nn.Linear(widths[-1], latent))
        back = [latent] + hidden[::-1]
        self.decoder = nn.ModuleList(glorot(nn.Linear(a, b)) for a, b in zip(back, back[1:]))
        self.output = glorot(nn.Linear(back[-1], features))

    def encode(self, x):
        for layer in self.encoder:
            x = F.relu(layer(x))
        return self.mean(x), self.log_var(x)

    def decode_logits(self, z):
        for layer in self.decoder:
            z = F.relu(layer(z))
        return self.output(z)

    def loss(self, x, sample=True):
        mean, log_var = self.encode(x)
        z = mean + torch.exp(0.5 * log_var) * torch.randn_like(mean) if sample else mean
        logits = self.decode_logits(z)
        reconstruction = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        kl = -0.5 * torch.sum(1 + log_var - mean.pow(2) - log_var.exp()) / x.shape[0]
        return reconstruction + kl


def evaluate(model, x, sample):
    with torch.no_grad():
        total = 0.0
        for start in range(0, x.shape[0], 1000):
            batch = x[start:start + 1000]
            total += model.loss(batch, sample).item() * batch.shape[0]
        return total / x.shape[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--hidden", default="512,256")
    parser.add_argument("--latent", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--score-batch", type=int, default=1024)
    parser.add_argument("--score-repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    hidden = [int(h) for h in args.hidden.split(",") if h]
    arch = "-".join(str(w) for w in [784] + hidden + [args.latent])
    train = load(args.data, "train")
    test = load(args.data, "t10k")
    model = Vae(train.shape[1], hidden, args.latent)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, eps=1e-8)

    start = time.perf_counter()
    for _ in range(args.epochs):
        order = torch.randperm(train.shape[0])
        for i in range(0, train.shape[0], args.batch):
            batch = train[order[i:i + args.batch]]
            optimizer.zero_grad(set_to_none=True)
            loss = model.loss(batch)
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    rows_per_s = args.epochs * train.shape[0] / seconds
    nelbo_mean = evaluate(model, test, sample=False)
    nelbo_sampled = evaluate(model, test, sample=True)
    print(f"pytorch train arch={arch} threads={args.threads} epochs={args.epochs} batch={args.batch} "
          f"rows_per_s={rows_per_s:.0f} test_nelbo_mean={nelbo_mean:.2f} test_nelbo_sampled={nelbo_sampled:.2f}", flush=True)

    # Scoring: latent mean, reconstruction and per-row error, batch by batch over the test set.
    timings = []
    with torch.no_grad():
        for _ in range(args.score_repeats):
            start = time.perf_counter()
            for i in range(0, test.shape[0], args.score_batch):
                x = test[i:i + args.score_batch]
                mean, _ = model.encode(x)
                reconstruction = torch.sigmoid(model.decode_logits(mean))
                _ = ((x - reconstruction) ** 2).mean(dim=1)
            timings.append(test.shape[0] / (time.perf_counter() - start))
    print(f"pytorch score arch={arch} threads={args.threads} batch={args.score_batch} "
          f"rows_per_s={statistics.median(timings):.0f}", flush=True)


if __name__ == "__main__":
    main()
