using System.Diagnostics;
using System.Globalization;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// `anomaly` benchmark: the library's anomaly preset (<see cref="VaeOptions.ForAnomalyDetection"/>, every setting at
/// its default) on the train/test splits that `peers.py --write-splits DIR` writes (NAME.SEED.train.csv and
/// NAME.SEED.test.csv: a header, numeric features, then `label`, 1 = anomaly). Fits on the train rows without their
/// labels, scores the test rows, and prints per split, then per set (mean over the seeds):
///   anomaly split set=shuttle seed=0 auc=0.9880 fit_seconds=0.61 train_rows=29458 features=9
///   anomaly set set=shuttle auc=0.9884 fit_seconds=0.60
/// ROC-AUC counts ties as half, as scikit-learn's roc_auc_score does. Options: --splits DIR (required),
/// --sets shuttle,glass (default: every set in DIR), --score reconstruction-error|negative-elbo (default: the preset's),
/// --seed N (the model's seed; default 0, the preset's), --ensemble-size N (default: the preset's).
/// </summary>
internal static class AnomalyBenchmark
{
    public static int Run(string[] args)
    {
        Dictionary<string, string> options = BenchmarkOptions.Parse(args);
        if (!options.TryGetValue("splits", out string? directory))
        {
            Console.Error.WriteLine("usage: anomaly --splits DIR [--sets a,b] [--score reconstruction-error|negative-elbo] [--seed N] [--ensemble-size N]");
            return 2;
        }

        VaeOptions preset = VaeOptions.ForAnomalyDetection();
        if (options.TryGetValue("seed", out string? seedText))
        {
            preset = preset with { Seed = int.Parse(seedText, CultureInfo.InvariantCulture) };
        }

        if (options.TryGetValue("ensemble-size", out string? ensembleText))
        {
            preset = preset with { EnsembleSize = int.Parse(ensembleText, CultureInfo.InvariantCulture) };
        }

        if (options.TryGetValue("score", out string? score))
        {
            preset = preset with { ScoreKind = score == "negative-elbo" ? ScoreKind.NegativeElbo : ScoreKind.ReconstructionError };
        }

        string[] sets = options.TryGetValue("sets", out string? names)
            ? names.Split(',', StringSplitOptions.RemoveEmptyEntries)
            : [.. Directory.GetFiles(directory, "*.0.train.csv").Select(p => Path.GetFileName(p)[..^".0.train.csv".Length]).Order(StringComparer.Ordinal)];
        foreach (string set in sets)
        {
            var aucs = new List<double>();
            var seconds = new List<double>();
            for (int seed = 0; File.Exists(SplitPath(directory, set, seed, "train")); seed++)
            {
                (float[][] train, _) = LoadSplit(SplitPath(directory, set, seed, "train"));
                (float[][] test, bool[] labels) = LoadSplit(SplitPath(directory, set, seed, "test"));
                long start = Stopwatch.GetTimestamp();
                VaeTransformer model = new VaeEstimator(preset).Fit(train);
                double fitSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
                double auc = RocAuc(model.Transform(test).Select(p => p.Score).ToArray(), labels);
                aucs.Add(auc);
                seconds.Add(fitSeconds);
                Console.WriteLine(FormattableString.Invariant(
                    $"anomaly split set={set} seed={seed} auc={auc:F4} fit_seconds={fitSeconds:F2} train_rows={train.Length} features={train[0].Length}"));
            }

            Console.WriteLine(FormattableString.Invariant($"anomaly set set={set} auc={aucs.Average():F4} fit_seconds={seconds.Average():F2}"));
        }

        return 0;
    }

    private static string SplitPath(string directory, string set, int seed, string part) =>
        Path.Combine(directory, FormattableString.Invariant($"{set}.{seed}.{part}.csv"));

    /// <summary>Rows of features and their labels (the last column, named label) from a split file.</summary>
    private static (float[][] Rows, bool[] Labels) LoadSplit(string path)
    {
        string[] lines = [.. File.ReadLines(path).Where(l => l.Length > 0)];
        if (lines.Length < 2 || lines[0].Split(',')[^1] != "label")
        {
            throw new InvalidDataException($"{path}: expected a header ending in 'label' and at least one row.");
        }

        var rows = new float[lines.Length - 1][];
        var labels = new bool[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            string[] fields = lines[i + 1].Split(',');
            rows[i] = [.. fields[..^1].Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];
            labels[i] = double.Parse(fields[^1], CultureInfo.InvariantCulture) != 0;
        }

        return (rows, labels);
    }

    /// <summary>ROC-AUC as the Mann-Whitney statistic over average ranks (ties count half).</summary>
    internal static double RocAuc(float[] scores, bool[] labels)
    {
        int n = scores.Length;
        int[] order = [.. Enumerable.Range(0, n).OrderBy(i => scores[i])];
        double positiveRankSum = 0;
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            double rank = ((i + j) / 2.0) + 1;
            for (int k = i; k <= j; k++)
            {
                positiveRankSum += labels[order[k]] ? rank : 0;
            }

            i = j + 1;
        }

        double positives = labels.Count(l => l), negatives = n - positives;
        return (positiveRankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }
}
