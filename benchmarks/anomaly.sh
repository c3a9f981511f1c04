#!/usr/bin/env bash
# Anomaly quality on the development sets (shuttle, glass, wine, digits from ../shared/anomaly-bench, or ANOMALY_BENCH):
# the peer detectors of peers.py beside VaeMl with default settings, on the same splits and by the same protocol
# (per set and seed 0, 1, 2: stratified 60/40 split, fit on the train rows without labels, ROC-AUC on the test rows;
# the table shows the mean over the seeds).
#
#   benchmarks/anomaly.sh                    # writes out/anomaly/table.md (and the raw outputs beside it)
#   OUT=/tmp/anomaly benchmarks/anomaly.sh
#
# VaeMl rows:
#   library  `new VaeEstimator(VaeOptions.ForAnomalyDetection())`, every setting at its default
#            (benchmarks/Microsoft.ML.Vae.Benchmarks -- anomaly); fit_seconds is the training time of one fit
#   vae CLI  `vae train --input train.csv --model m.vae --exclude label`, then `vae evaluate --input test.csv --label label`
# The two use the same preset and seed, so they give the same scores; the CLI row checks that the command line's
# defaults are the library's. peers.py needs Debian's python3-sklearn (installed with apt-get below if missing; its
# PyTorch VAE peer runs only when python3-torch is installed).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH="${ANOMALY_BENCH:-../shared/anomaly-bench}"
OUT="${OUT:-out/anomaly}"
PYTHON=/usr/bin/python3   # Debian's interpreter, where python3-sklearn installs

if ! "$PYTHON" -c "import sklearn" 2>/dev/null; then
  echo "anomaly: installing Debian's python3-sklearn with apt-get (once)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-sklearn >&2
fi

mkdir -p "$OUT/splits" "$OUT/models"
"$PYTHON" "$BENCH/peers.py" --write-splits "$OUT/splits" >&2

echo "anomaly: peers.py" >&2
"$PYTHON" "$BENCH/peers.py" | tee "$OUT/peers.txt" >&2

dotnet build -c Release benchmarks/Microsoft.ML.Vae.Benchmarks -v quiet -nologo >&2
dotnet build -c Release Microsoft.ML.Vae.Cli -v quiet -nologo >&2

echo "anomaly: VaeMl library defaults" >&2
dotnet run -c Release --no-build --project benchmarks/Microsoft.ML.Vae.Benchmarks -- anomaly --splits "$OUT/splits" | tee "$OUT/library.txt" >&2

echo "anomaly: vae train / vae evaluate defaults" >&2
vae() { dotnet Microsoft.ML.Vae.Cli/bin/Release/net10.0/vae.dll "$@"; }
: > "$OUT/cli.txt"
for train in "$OUT"/splits/*.train.csv; do
  name="$(basename "$train" .train.csv)"   # SET.SEED
  model="$OUT/models/$name.vae"
  start="$(date +%s.%N)"
  vae train --input "$train" --model "$model" --exclude label --quiet > /dev/null
  seconds="$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')"
  auc="$(vae evaluate --model "$model" --input "${train%.train.csv}.test.csv" --label label --json \
    | sed -n 's/.*"AreaUnderRocCurve": *\([^,]*\),*/\1/p')"
  echo "cli split set=${name%.*} seed=${name##*.} auc=$auc train_seconds=$seconds" | tee -a "$OUT/cli.txt" >&2
done

"$PYTHON" - "$OUT" <<'PY'
import re, sys
out = sys.argv[1]
peers = {}
header = None
for line in open(f"{out}/peers.txt"):
    fields = line.split()
    if fields and fields[0] == "dataset":
        header = fields[1:]
    elif header and len(fields) == len(header) + 1:
        for detector, value in zip(header, fields[1:]):
            peers.setdefault(detector, {})[fields[0]] = float(value)

def read(path, kind):
    per = {}
    for line in open(path):
        m = re.match(rf"{kind} split set=(\S+) seed=\d+ auc=(\S+)", line)
        if m:
            per.setdefault(m.group(1), []).append(float(m.group(2)))
    return {k: sum(v) / len(v) for k, v in per.items()}

names = {"iforest": "Isolation Forest", "knn": "kNN (k=5)", "lof": "LOF (k=20)", "pca": "PCA reconstruction", "vae": "plain VAE (PyTorch)"}
rows = [(names.get(d, d), v) for d, v in peers.items()]
rows.append(("**VaeMl** (`VaeOptions.ForAnomalyDetection()`, defaults)", read(f"{out}/library.txt", "anomaly")))
rows.append(("**VaeMl** `vae train` / `vae evaluate` defaults", read(f"{out}/cli.txt", "cli")))
sets = sorted(rows[0][1])
lines = ["| detector | " + " | ".join(sets) + " | mean |", "|---|" + "---|" * (len(sets) + 1)]
for name, values in rows:
    cells = [values[s] for s in sets]
    lines.append(f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + f" | {sum(cells) / len(cells):.3f} |")
seconds = [float(m.group(1)) for m in re.finditer(r"set=shuttle seed=\d+ auc=\S+ fit_seconds=(\S+)", open(f"{out}/library.txt").read())]
table = "\n".join(lines) + "\n"
if seconds:
    table += f"\nVaeMl training time on shuttle (29,459 rows, library fit): {min(seconds):.2f}-{max(seconds):.2f} s.\n"
open(f"{out}/table.md", "w").write(table)
print(table, end="")
PY
