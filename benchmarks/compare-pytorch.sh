#!/usr/bin/env bash
# Side by side, in one run: VaeMl vs Debian's PyTorch (python3-torch) training and scoring VAEs on MNIST.
# Same architecture, data, batch, learning rate, epochs and initialization (Glorot-uniform, zero biases).
# PyTorch runs in its best configuration here: 1 thread, and 2 threads with OMP_WAIT_POLICY=PASSIVE (its OpenMP and
# OpenBLAS threads otherwise fight); the faster of the two is kept, separately for training and scoring.
#
#   benchmarks/compare-pytorch.sh                  # 2 epochs each of 784-512-256-2 and 784-400-20, 5 rounds
#   EPOCHS=30 ROUNDS=1 ARCHS="512,256:2" benchmarks/compare-pytorch.sh
#
# Every configuration runs ROUNDS times, interleaved (VaeMl all threads, VaeMl one thread, PyTorch 1 and 2 threads,
# then again), and the figures below are medians over the rounds: on a shared machine single runs vary by 20% or more.
# Round r uses seed r - 1 on both sides (initial weights, shuffling, noise), so the test losses are medians over seeds:
# after 2 epochs a 2-D latent model's loss moves by up to 4 nats from seed to seed on either side, so 3 seeds left the two
# medians 2.3 nats apart where 5 gave 0.35 (2026-11-21). 5 rounds of both models take about 10 minutes.
# The host's steal time over the whole run is printed too, as a measure of how much the machine was shared.
# Prints the machine-readable lines of both sides, then per architecture:
#   compare train arch=... vaeml_rows_per_s=... pytorch_rows_per_s=... ratio=... vaeml_test_nelbo=... pytorch_test_nelbo=...
#   compare score arch=... vaeml_rows_per_s=... pytorch_rows_per_s=... ratio=...
#   compare threads arch=... one_thread_rows_per_s=... all_threads_rows_per_s=... threads=N ratio=...  (VaeMl training)
set -euo pipefail
cd "$(dirname "$0")/.."

EPOCHS="${EPOCHS:-2}"
ROUNDS="${ROUNDS:-5}"
ARCHS="${ARCHS:-512,256:2 400:20}"
PYTHON=/usr/bin/python3   # Debian's interpreter, where python3-torch installs

# PyTorch needs an optimized BLAS to be a fair peer: without libopenblas0-pthread Debian's PyTorch runs on the
# reference BLAS (about 5 instead of 96 GFLOP/s here), and every ratio below would be meaningless.
if ! "$PYTHON" -c "import torch, numpy" 2>/dev/null || ! ls /usr/lib/*/openblas-pthread/libblas.so.3 >/dev/null 2>&1; then
  echo "compare-pytorch: installing Debian's python3-torch, python3-numpy and libopenblas0-pthread (once)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch python3-numpy libopenblas0-pthread >&2
fi

# Debian's OpenBLAS does not recognise newer CPUs and falls back to slow SSE kernels unless told the core type.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  if grep -q avx512_bf16 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Cooperlake
  elif grep -q avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
  elif grep -q avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell
  fi
fi

source benchmarks/mnist-common.sh
out="$(mktemp)"
trap 'rm -f "$out" "$out".*' EXIT

faster() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 >= b + 0) ? a : b }'; }
steal() { awk '/^cpu / { print $9 }' /proc/stat; }
steal_start="$(steal)"

for arch in $ARCHS; do
  hidden="${arch%%:*}"; latent="${arch##*:}"
  common=(--data "$DATA" --hidden "$hidden" --latent "$latent" --epochs "$EPOCHS" --batch 128 --lr 0.001)
  : > "$out.vaeml"; : > "$out.vaeml1"; : > "$out.pt1"; : > "$out.pt2"
  for seed in $(seq 0 $((ROUNDS - 1))); do
    bench mnist "${common[@]}" --seed "$seed" --threads 0 | tee -a "$out.vaeml"
    bench mnist "${common[@]}" --seed "$seed" --threads 1 | grep ' train ' | tee -a "$out.vaeml1"
    OMP_NUM_THREADS=1 "$PYTHON" benchmarks/pytorch_vae.py "${common[@]}" --seed "$seed" --threads 1 | tee -a "$out.pt1"
    OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2 "$PYTHON" benchmarks/pytorch_vae.py "${common[@]}" --seed "$seed" --threads 2 | tee -a "$out.pt2"
  done

  name="$(grep ' train ' "$out.vaeml" | field arch | head -1)"
  v_train="$(grep ' train ' "$out.vaeml" | field rows_per_s | median)"
  v_nelbo="$(grep ' train ' "$out.vaeml" | field test_nelbo_sampled | median)"
  v_score="$(grep ' score ' "$out.vaeml" | field rows_per_s | median)"
  p1_train="$(grep ' train ' "$out.pt1" | field rows_per_s | median)"; p2_train="$(grep ' train ' "$out.pt2" | field rows_per_s | median)"
  p1_score="$(grep ' score ' "$out.pt1" | field rows_per_s | median)"; p2_score="$(grep ' score ' "$out.pt2" | field rows_per_s | median)"
  p_train="$(faster "$p1_train" "$p2_train")"; p_score="$(faster "$p1_score" "$p2_score")"
  best="$out.pt1"; [ "$p_train" = "$p2_train" ] && best="$out.pt2"
  p_nelbo="$(grep ' train ' "$best" | field test_nelbo_sampled | median)"
  awk -v a="$name" -v v="$v_train" -v p="$p_train" -v vn="$v_nelbo" -v pn="$p_nelbo" -v e="$EPOCHS" -v r="$ROUNDS" \
    'BEGIN { printf "compare train arch=%s epochs=%s rounds=%s vaeml_rows_per_s=%s pytorch_rows_per_s=%s ratio=%.2f vaeml_test_nelbo=%s pytorch_test_nelbo=%s\n", a, e, r, v, p, v / p, vn, pn }'
  awk -v a="$name" -v v="$v_score" -v p="$p_score" -v r="$ROUNDS" \
    'BEGIN { printf "compare score arch=%s batch=1024 rounds=%s vaeml_rows_per_s=%s pytorch_rows_per_s=%s ratio=%.2f\n", a, r, v, p, v / p }'
  v_one="$(grep ' train ' "$out.vaeml1" | field rows_per_s | median)"
  awk -v a="$name" -v one="$v_one" -v all="$v_train" -v n="$(nproc)" -v r="$ROUNDS" \
    'BEGIN { printf "compare threads arch=%s rounds=%s one_thread_rows_per_s=%s all_threads_rows_per_s=%s threads=%s ratio=%.2f\n", a, r, one, all, n, all / one }'
  rm -f "$out.vaeml" "$out.vaeml1" "$out.pt1" "$out.pt2"
done
awk -v a="$steal_start" -v b="$(steal)" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "compare machine steal_seconds=%.1f\n", (b - a) / hz }'
