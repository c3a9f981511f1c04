using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Files;
using Microsoft.ML.Vae.Cli.Parquet;
using Microsoft.ML.Vae.Cli.Terminal;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// <c>vae score</c>: streams a CSV or Parquet input through a model in blocks (bounded memory), writing key columns, Score,
/// PredictedLabel, ReconstructionError, LatentMean_i and optionally the top-K features by reconstruction error.
/// </summary>
internal static class ScoreCommand
{
    /// <summary>Rows per block: large enough for the batch path's GEMMs, small enough to keep memory flat.</summary>
    public const int DefaultBlockRows = 8192;

    /// <summary>
    /// One scorer per core: every thread blocks when it has nothing to do (the reader when the ring is full, a scorer
    /// when no block is parsed), so a small model's parsing and a large model's scoring each get the cores they need.
    /// </summary>
    public static int DefaultScorerCount => Environment.ProcessorCount;

    public static System.CommandLine.Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var input = new InputOptions();
        var output = CommonOptions.Output("Scores to write: CSV (.gz compresses) or, for a name ending in .parquet, Parquet; a file is written whole or not at all.", "scores.csv");
        var keep = CommonOptions.NameList("--keep", "Input columns copied to the output (e.g. an id).");
        var topFeatures = CommonOptions.Int("--top-features", "Add the K features with the largest reconstruction error per row.", 0, "K");
        var features = CommonOptions.Features();
        features.Description = "Feature columns, for a model that does not store their names (default: the names in the model).";
        var exclude = CommonOptions.Exclude();
        var blockRows = CommonOptions.Int("--block-rows", "Rows read and scored at a time.", DefaultBlockRows);
        var threads = CommonOptions.Int("--threads", "Scoring threads, which also format the output (0 = one per core).", 0);
        var quiet = CommonOptions.Quiet();

        var command = new System.CommandLine.Command("score", "Score every row of a CSV or Parquet file with a trained model, streaming to a CSV or Parquet file.")
        {
            model, input.Input, output, keep, topFeatures, features, exclude, blockRows, threads, input.Delimiter, input.DecimalSeparator, input.BadRows, quiet,
        };
        context.SetAction(command, (parse, cancellationToken) =>
        {
            int k = parse.GetValue(topFeatures);
            int block = parse.GetValue(blockRows);
            int threadCount = parse.GetValue(threads);
            if (k < 0 || block < 1 || threadCount < 0)
            {
                throw CliException.Usage(k < 0 ? "--top-features must be 0 or more." : block < 1 ? "--block-rows must be at least 1." : "--threads must be 0 or more.");
            }

            CommonOptions.Selection(parse, features, exclude); // rejects --features with --exclude
            string modelPath = parse.GetRequiredValue(model);
            VaeTransformer vae = ModelFile.Load(modelPath);
            using FeatureReader reader = input.OpenFor(vae, context, parse, parse.GetValue(features), parse.GetValue(exclude), parse.GetValue(keep) ?? [], label: null);
            if (k > reader.FeatureCount)
            {
                throw CliException.Usage($"--top-features {k} is more than the model's {reader.FeatureCount} features.");
            }

            OutputFile scores = OutputFile.Resolve(context, parse.GetRequiredValue(output), "--output",
                NamedInput.Of("--input", reader.Input), NamedInput.Path("--model", modelPath));
            var request = new ScoreRequest(vae, reader, scores, k, block, threadCount > 0 ? threadCount : DefaultScorerCount, parse.GetValue(quiet));
            return Run(context, request, cancellationToken);
        });
        return command;
    }

    private static int Run(CliContext context, ScoreRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        FeatureReader reader = request.Reader;
        var columns = new ScoreColumns(reader.KeyNames, request.Model.LatentDimension, request.TopFeatures, reader.FeatureNames);
        bool parquet = !request.Output.IsStandardOutput && FeatureInput.IsParquet(request.Output.Path);
        if (parquet && columns.Names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw CliException.BadInput($"--keep column '{twice.Key}' has the name of another output column, and a Parquet file's columns need distinct names; keep it in a CSV output.");
        }

        request.Output.Write(stream =>
        {
            using ScoreOutput output = parquet ? new ParquetScoreOutput(stream, columns) : new CsvScoreOutput(stream, request.Output.IsGzip, columns);
            context.Progress(request.Quiet).Run($"Scoring {Path.GetFileName(reader.Name)}", 1, report =>
            {
                ScorePipeline.Run(reader, () => new BlockScorer(request.Model, request.BlockRows, request.TopFeatures, onCallingThread: request.Threads > 1), request.Threads,
                    output, () => report(reader.Fraction, null), cancellationToken);
                return 0;
            });
            output.Complete();
        });

        double seconds = clock.Elapsed.TotalSeconds;
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Scored {reader.RowCount} rows in {seconds:F2} s ({reader.RowCount / Math.Max(seconds, 1e-9):F0} rows/s) -> {request.Output.Name}"));
        InputOptions.ReportSkipped(context, reader);
        return ExitCodes.Success;
    }

    private sealed record ScoreRequest(VaeTransformer Model, FeatureReader Reader, OutputFile Output, int TopFeatures, int BlockRows, int Threads, bool Quiet);
}
