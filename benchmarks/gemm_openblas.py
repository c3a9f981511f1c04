"""OpenBLAS sgemm (numpy float32 matmul) on the products listed by the .NET gemm benchmark.

Reads the benchmark's lines ("gemm shape=BxIxO form=NN threads=T ... gflops=G ...") on stdin, measures the same
product with numpy for the lines whose threads equal argv[1] (set OPENBLAS_NUM_THREADS to match), and prints
"openblas ..." and "ratio ..." lines (ratio = ours / OpenBLAS). Timing matches the .NET side: median of 21 samples.
"""
import sys
import time

import numpy as np


def median_seconds(action, samples=21, min_sample=0.002, warm_up=0.05):
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
    return sorted(times)[samples // 2]


def main():
    threads = int(sys.argv[1])
    rng = np.random.default_rng(1)
    for line in sys.stdin:
        fields = dict(f.split("=", 1) for f in line.split()[1:] if "=" in f)
        if not line.startswith("gemm ") or int(fields["threads"]) != threads:
            continue
        batch, inputs, outputs = (int(v) for v in fields["shape"].split("x"))
        form = fields["form"]
        x = rng.random((batch, inputs), dtype=np.float32) - 0.5
        w = rng.random((inputs, outputs), dtype=np.float32) - 0.5
        dy = rng.random((batch, outputs), dtype=np.float32) - 0.5
        # Transposed operands are views, as in a training step: numpy hands BLAS the transpose flag, no copy.
        a, b = {"NN": (x, w), "NT": (dy, w.T), "TN": (x.T, dy)}[form]
        c = np.empty((a.shape[0], b.shape[1]), dtype=np.float32)
        seconds = median_seconds(lambda: np.matmul(a, b, out=c))
        flops = 2.0 * a.shape[0] * a.shape[1] * b.shape[1]
        blas = flops / seconds / 1e9
        ours = float(fields["gflops"])
        common = f"shape={fields['shape']} form={form} threads={threads}"
        print(f"openblas {common} gflops={blas:.2f} us={seconds * 1e6:.2f}", flush=True)
        print(f"ratio {common} ours={ours:.2f} openblas={blas:.2f} ratio={ours / blas:.2f}", flush=True)


if __name__ == "__main__":
    main()
