"""OpenBLAS sgemm (numpy float32 matmul) on the VAE's layer products: the reference for the .NET gemm benchmark.

Serves requests on stdin, one per line: "BATCH INPUTS OUTPUTS FORM" (FORM: NN = X·W, NT = dY·Wᵀ, TN = Xᵀ·dY, with
X[B,I], W[I,O], dY[B,O]); answers each with "MEDIAN_SECONDS BEST_SECONDS". Set OPENBLAS_NUM_THREADS before starting.
Timing matches the .NET side: warm-up, then the median and the fastest of 21 samples of at least 2 ms each.
"""
import sys
import time

import numpy as np


def seconds(action, samples=21, min_sample=0.002, warm_up=0.05):
    """(median, fastest) seconds per call."""
    calls, start = 0, time.perf_counter()
    while calls < 10 or time.perf_counter() - start < warm_up:
        action()
        calls += 1
    per_call = (time.perf_counter() - start) / calls
    repetitions = max(1, int(min_sample / per_call))
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        for _ in range(repetitions):
            action()
        times.append((time.perf_counter() - t0) / repetitions)
    times.sort()
    return times[samples // 2], times[0]


def main():
    rng = np.random.default_rng(1)
    for line in sys.stdin:
        batch, inputs, outputs, form = line.split()
        batch, inputs, outputs = int(batch), int(inputs), int(outputs)
        x = rng.random((batch, inputs), dtype=np.float32) - 0.5
        w = rng.random((inputs, outputs), dtype=np.float32) - 0.5
        dy = rng.random((batch, outputs), dtype=np.float32) - 0.5
        # Transposed operands are views, as in a training step: numpy hands BLAS the transpose flag, no copy.
        a, b = {"NN": (x, w), "NT": (dy, w.T), "TN": (x.T, dy)}[form]
        c = np.empty((a.shape[0], b.shape[1]), dtype=np.float32)
        median, best = seconds(lambda: np.matmul(a, b, out=c))
        print(f"{median!r} {best!r}", flush=True)


if __name__ == "__main__":
    main()
