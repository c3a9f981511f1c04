#!/usr/bin/env bash
# CLI scale benchmark: generates its own data, then measures with /usr/bin/time -v (max RSS):
#   1. vae train on TRAIN_ROWS x FEATURES (input read once into one float matrix): peak memory
#   2. vae score on SCORE_ROWS x FEATURES: peak memory (target < 100 MB) and rows/s
#   3. the in-memory batch API (VaeTransformer.Transform on spans, on every core) on the same model: rows/s
#      (targets: CLI >= 0.6x with HIDDEN=64,32, >= 0.9x with HIDDEN=512,256)
#   4. parse-only rows/s of the CLI's CSV reader, of bare CsvHelper and of bare Sep (both with their own float parsing)
#   5. vae score on the same rows as Parquet (row groups of 65,536), written as Parquet: rows/s and peak memory
# Usage: benchmarks/cli-scale.sh   (env: SCORE_ROWS=10000000 TRAIN_ROWS=1000000 FEATURES=30 HIDDEN=64,32 WORK=/tmp/vae-cli-scale)
# The machine's other load moves single runs a lot: compare figures from the same run (side by side, interleaved).
set -euo pipefail
cd "$(dirname "$0")/.."
SCORE_ROWS=${SCORE_ROWS:-10000000}
TRAIN_ROWS=${TRAIN_ROWS:-1000000}
FEATURES=${FEATURES:-30}
HIDDEN=${HIDDEN:-64,32}   # the small model is the hard case: scoring is fast, so CSV parsing and formatting show
case "$HIDDEN" in 64,32) TARGET=0.6 ;; *) TARGET=0.9 ;; esac
WORK=${WORK:-/tmp/vae-cli-scale}
mkdir -p "$WORK"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build -c Release benchmarks/CliScale/CliScale.csproj -v q -nologo >/dev/null
VAE=(dotnet Microsoft.ML.Vae.Cli/bin/Release/net10.0/vae.dll)
BENCH=(dotnet benchmarks/CliScale/bin/Release/net10.0/CliScale.dll)

train_csv="$WORK/train-$TRAIN_ROWS-$FEATURES.csv"
score_csv="$WORK/score-$SCORE_ROWS-$FEATURES.csv"
[ -s "$train_csv" ] || "${BENCH[@]}" generate "$train_csv" "$TRAIN_ROWS" "$FEATURES" 1
[ -s "$score_csv" ] || "${BENCH[@]}" generate "$score_csv" "$SCORE_ROWS" "$FEATURES" 2

rss_mb() { awk -F: '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }

echo "== train: $TRAIN_ROWS x $FEATURES, hidden $HIDDEN, 1 epoch"
model="$WORK/model-${HIDDEN/,/-}.vae"
# One network (--ensemble-size 1), the model the targets are set for: the tabular preset's default ensemble of 5 computes
# the score with every network, which moves the comparison towards scoring and away from the tool's own costs.
/usr/bin/time -v "${VAE[@]}" train --input "$train_csv" --model "$model" --exclude id --hidden-layers "$HIDDEN" \
  --ensemble-size 1 --epochs 1 --quiet 2> "$WORK/train.time" | grep -E "Rows|Read time|Total time"
echo "train peak RSS: $(rss_mb "$WORK/train.time") MB (the float matrix alone is $((TRAIN_ROWS * FEATURES * 4 / 1000000)) MB)"

echo "== score: $SCORE_ROWS x $FEATURES"
/usr/bin/time -v "${VAE[@]}" score --model "$model" --input "$score_csv" --output "$WORK/scores.csv" --keep id --quiet \
  2> "$WORK/score.time"
grep "Scored" "$WORK/score.time"
cli_rate=$(grep -oE '\(([0-9]+) rows/s\)' "$WORK/score.time" | grep -oE '[0-9]+')
echo "score peak RSS: $(rss_mb "$WORK/score.time") MB (target < 100 MB)"

echo "== in-memory batch API on the same model"
batch_line=$("${BENCH[@]}" batch "$model" 2000000)
echo "$batch_line"
batch_rate=$(echo "$batch_line" | grep -oE '= [0-9]+ rows/s' | grep -oE '[0-9]+')
awk -v c="$cli_rate" -v b="$batch_rate" -v t="$TARGET" 'BEGIN { printf "vae score / batch API = %.2f (target >= %s)\n", c / b, t }'

echo "== same comparison, $TRAIN_ROWS rows, 3 interleaved rounds (other load on the machine moves single runs a lot)"
for round in 1 2 3; do
  cli=$("${VAE[@]}" score --model "$model" --input "$train_csv" --output "$WORK/scores-small.csv" --keep id --quiet 2>&1 \
    | grep -oE '\(([0-9]+) rows/s\)' | grep -oE '[0-9]+')
  batch=$("${BENCH[@]}" batch "$model" "$TRAIN_ROWS" | grep -oE '= [0-9]+ rows/s' | grep -oE '[0-9]+')
  awk -v c="$cli" -v b="$batch" -v r="$round" 'BEGIN { printf "round %d: vae score %d rows/s, batch API %d rows/s, ratio %.2f\n", r, c, b, c / b }'
done

echo "== CSV parse only ($TRAIN_ROWS rows), 3 interleaved rounds"
for round in 1 2 3; do
  "${BENCH[@]}" parse "$train_csv" cli
  "${BENCH[@]}" parse "$train_csv" csvhelper
  "${BENCH[@]}" parse "$train_csv" sep
done

echo "== Parquet: the $SCORE_ROWS score rows as Parquet, scored to Parquet"
score_parquet="$WORK/score-$SCORE_ROWS-$FEATURES.parquet"
[ -s "$score_parquet" ] || "${BENCH[@]}" to-parquet "$score_csv" "$score_parquet" 65536
/usr/bin/time -v "${VAE[@]}" score --model "$model" --input "$score_parquet" --output "$WORK/scores.parquet" --keep id --quiet \
  2> "$WORK/parquet.time"
grep "Scored" "$WORK/parquet.time"
echo "parquet score peak RSS: $(rss_mb "$WORK/parquet.time") MB"
