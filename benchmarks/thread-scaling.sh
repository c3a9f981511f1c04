#!/usr/bin/env bash
# How far this machine lets training scale over its cores, against how far VaeMl's training step scales.
# Per architecture, interleaved over ROUNDS rounds (MNIST, batch 128, Adam 1e-3, 2 epochs, seed 0):
#   one thread:   one training on 1 thread;
#   processes:    one 1-thread training per core, all at once, as separate processes (nothing shared, no
#                 synchronization): their summed rows/s is the most the cores deliver together on this work;
#   all threads:  one training on all cores (ThreadCount = 0), the case compare-pytorch.sh's "threads" line measures.
# Prints medians over the rounds, per architecture:
#   scaling arch=... rounds=... cores=N one_thread_rows_per_s=... processes_rows_per_s=... all_threads_rows_per_s=...
#           processes_ratio=... threads_ratio=...
# processes_ratio well below N means the cores slow each other down (shared caches, memory, a busy host);
# threads_ratio below processes_ratio is what splitting one model's steps over the cores costs.
#
#   benchmarks/thread-scaling.sh                     # 784-512-256-2 and 784-400-20, 5 rounds (about 5 minutes)
#   ROUNDS=3 ARCHS="512,256:2" benchmarks/thread-scaling.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS="${ROUNDS:-5}"
ARCHS="${ARCHS:-512,256:2 400:20}"
CORES="$(nproc)"

source benchmarks/mnist-common.sh
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

rows_per_s() { grep '^vaeml train ' | field rows_per_s; }

for arch in $ARCHS; do
  hidden="${arch%%:*}"; latent="${arch##*:}"
  train=(mnist --data "$DATA" --hidden "$hidden" --latent "$latent" --epochs 2 --batch 128 --lr 0.001 --seed 0)
  : > "$out/one"; : > "$out/processes"; : > "$out/all"
  for round in $(seq 1 "$ROUNDS"); do
    bench "${train[@]}" --threads 1 > "$out/alone"
    one="$(rows_per_s < "$out/alone")"
    pids=()
    for core in $(seq 1 "$CORES"); do
      bench "${train[@]}" --threads 1 > "$out/process.$core" &
      pids+=("$!")
    done
    for pid in "${pids[@]}"; do
      wait "$pid"   # a failed process stops the script (set -e) rather than leaving its share out of the sum
    done
    processes="$(cat "$out"/process.* | rows_per_s | awk '{ s += $1 } END { print s }')"
    all="$(bench "${train[@]}" --threads 0 | rows_per_s)"
    echo "scaling round=$round arch=$arch one_thread_rows_per_s=$one processes_rows_per_s=$processes all_threads_rows_per_s=$all" >&2
    echo "$one" >> "$out/one"; echo "$processes" >> "$out/processes"; echo "$all" >> "$out/all"
  done

  one="$(median < "$out/one")"; processes="$(median < "$out/processes")"; all="$(median < "$out/all")"
  name="$(grep '^vaeml train ' "$out/alone" | field arch)"
  awk -v a="$name" -v r="$ROUNDS" -v n="$CORES" -v one="$one" -v p="$processes" -v all="$all" 'BEGIN {
    printf "scaling arch=%s rounds=%s cores=%s one_thread_rows_per_s=%s processes_rows_per_s=%s all_threads_rows_per_s=%s processes_ratio=%.2f threads_ratio=%.2f\n",
      a, r, n, one, p, all, p / one, all / one }'
done
