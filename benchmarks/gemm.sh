#!/usr/bin/env bash
# Measures Gemm (ours) against OpenBLAS sgemm (numpy float32 matmul) on the VAE's layer products, in one run.
# Usage: benchmarks/gemm.sh [options of the gemm benchmark, e.g. --threads 1,2 --forms NN]
# Prints per product and thread count a "gemm ..." line (ours), an "openblas ..." line and a "ratio ..." line
# (ratio = ours / OpenBLAS on median times; best_ratio on the fastest samples).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's numpy, linked to OpenBLAS through the libblas.so.3 alternative (installed once, if missing).
PYTHON=/usr/bin/python3
if ! "$PYTHON" -c "import numpy" 2>/dev/null || ! ls /usr/lib/*/openblas-pthread/libblas.so.3 >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-numpy libopenblas0-pthread >/dev/null
fi

# OpenBLAS 0.3.21 does not recognize every CPU model (a Sapphire Rapids under KVM gets the SSE3 "Prescott" kernels,
# 8x slower): unless the caller chose one, pick its kernels from the CPU flags, so we compare with OpenBLAS at its best.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
    if grep -qw avx512_bf16 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Cooperlake
    elif grep -qw avx512f /proc/cpuinfo; then export OPENBLAS_CORETYPE=SkylakeX
    elif grep -qw avx2 /proc/cpuinfo; then export OPENBLAS_CORETYPE=Haswell
    fi
fi
echo "# OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-auto}"

dotnet build -c Release benchmarks/Microsoft.ML.Vae.Benchmarks -nologo -v q >/dev/null
# Each OpenBLAS timing is taken right after ours on the same product, so both see the same machine load.
dotnet run -c Release --no-build --project benchmarks/Microsoft.ML.Vae.Benchmarks -- \
    gemm --openblas benchmarks/gemm_openblas.py --python "$PYTHON" "$@"
