#!/usr/bin/python3
"""Writes more train/test splits of the anomaly development sets than `peers.py --write-splits` (seeds 0-2), with
peers.py's own split function, for measurements that need less noise than three splits give:

    /usr/bin/python3 benchmarks/write-anomaly-splits.py OUT_DIR [SPLITS]     # SPLITS: seeds 0..SPLITS-1, default 10

Files: OUT_DIR/NAME.SEED.train.csv and NAME.SEED.test.csv, the source rows verbatim (header kept), as peers.py writes
them. The development sets and peers.py come from ANOMALY_BENCH (default ../shared/anomaly-bench).
"""
import glob
import importlib.util
import os
import sys

bench = os.environ.get("ANOMALY_BENCH", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "anomaly-bench"))
spec = importlib.util.spec_from_file_location("peers", os.path.join(bench, "peers.py"))
peers = importlib.util.module_from_spec(spec)
spec.loader.exec_module(peers)

out_dir = sys.argv[1]
splits = int(sys.argv[2]) if len(sys.argv) > 2 else 10
os.makedirs(out_dir, exist_ok=True)
for path in sorted(glob.glob(os.path.join(bench, "*.csv"))):
    name = os.path.basename(path)[:-4]
    with open(path) as f:
        lines = f.read().splitlines()
    header, rows = lines[0], [line for line in lines[1:] if line]
    _, labels = peers.load(path)
    for seed in range(splits):
        train, test = peers.split(labels, seed)
        for part, indices in (("train", train), ("test", test)):
            with open(os.path.join(out_dir, f"{name}.{seed}.{part}.csv"), "w") as f:
                f.write(header + "\n" + "\n".join(rows[i] for i in indices) + "\n")
    print(f"{name}: wrote seeds 0-{splits - 1} to {out_dir}", file=sys.stderr)
