using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Terminal;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// <c>vae score</c>: streams a CSV through a model in blocks (bounded memory), writing key columns, Score,
/// PredictedLabel, ReconstructionError, LatentMean_i and optionally the top-K features by reconstruction error.
/// </summary>
internal static class ScoreCommand
{
    /// <summary>Rows per block: large enough for the batch path's GEMMs, small enough to keep memory flat.</summary>
    public const int DefaultBlockRows = 8192;

    /// <summary>
    /// The reader and writer threads keep about one core busy between them (measured: ~1.4 s and ~1.2 s per million
    /// rows of 30 features against ~4 s of scoring with a 64,32 model), so scoring gets the remaining cores.
    /// </summary>
    public static int DefaultScorerCount => Math.Max(1, Environment.ProcessorCount - 1);

    public static System.CommandLine.Command Create(CliContext context)
    {
        var model = CommonOptions.Model();
        var input = CommonOptions.Input();
        var output = CommonOptions.Output("Scores CSV to write (.gz compresses); written whole or not at all.", "scores.csv");
        var keep = CommonOptions.NameList("--keep", "Input columns copied to the output (e.g. an id).");
        var topFeatures = new Option<int>("--top-features") { Description = "Add the K features with the largest reconstruction error per row.", HelpName = "K" };
        var features = CommonOptions.Features();
        features.Description = "Feature columns, for a model that does not store their names (default: the names in the model).";
        var exclude = CommonOptions.Exclude();
        var blockRows = new Option<int>("--block-rows") { Description = "Rows read and scored at a time.", DefaultValueFactory = _ => DefaultBlockRows };
        var threads = new Option<int>("--threads") { Description = "Scoring threads (0 = one per core, less one for reading and writing)." };
        var delimiter = CommonOptions.Delimiter();
        var badRows = CommonOptions.BadRows();
        var quiet = CommonOptions.Quiet();

        var command = new System.CommandLine.Command("score", "Score every row of a CSV file with a trained model, streaming to a CSV file.")
        {
            model, input, output, keep, topFeatures, features, exclude, blockRows, threads, delimiter, badRows, quiet,
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

            var request = new ScoreRequest(
                parse.GetRequiredValue(model),
                parse.GetRequiredValue(input),
                parse.GetRequiredValue(output),
                parse.GetValue(keep) ?? [],
                k,
                block,
                threadCount > 0 ? threadCount : DefaultScorerCount,
                parse.GetValue(features),
                parse.GetValue(exclude),
                DelimiterOption.Parse(parse.GetValue(delimiter)),
                parse.GetBadRows(badRows),
                parse.GetValue(quiet));
            CommonOptions.Selection(parse, features, exclude); // rejects --features with --exclude
            return Run(context, request, cancellationToken);
        });
        return command;
    }

    private static int Run(CliContext context, ScoreRequest request, CancellationToken cancellationToken)
    {
        VaeTransformer model = ModelFile.Load(request.Model);
        var clock = Stopwatch.StartNew();
        using CsvFeatureReader reader = OpenInput(model, request.Input, request.Features, request.Exclude, request.Keep, label: null, request.Delimiter, request.BadRows);
        if (request.TopFeatures > reader.FeatureCount)
        {
            throw CliException.Usage($"--top-features {request.TopFeatures} is more than the model's {reader.FeatureCount} features.");
        }

        OutputFile.Write(request.Output, stream =>
        {
            using var writer = new CsvOutputWriter(stream, CsvFile.IsGzip(request.Output));
            WriteHeader(writer, reader, model.LatentDimension, request.TopFeatures);
            context.Progress(request.Quiet).Run($"Scoring {Path.GetFileName(request.Input)}", 1, report =>
            {
                ScorePipeline.Run(reader, () => new BlockScorer(model, request.BlockRows, request.TopFeatures), request.Threads,
                    block => WriteRows(writer, reader, block), () => report(reader.Fraction, null), cancellationToken);
                return 0;
            });
            writer.Complete();
        });

        double seconds = clock.Elapsed.TotalSeconds;
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Scored {reader.RowCount} rows in {seconds:F2} s ({reader.RowCount / Math.Max(seconds, 1e-9):F0} rows/s) -> {request.Output}"));
        ReportSkipped(context, reader);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Opens a scoring input with the model's feature columns: the names stored in the model, else --features,
    /// else every column not excluded (then only the count can be checked).
    /// </summary>
    internal static CsvFeatureReader OpenInput(VaeTransformer model, string input, IReadOnlyList<string>? features, IReadOnlyList<string>? exclude,
        IReadOnlyList<string> keep, string? label, char? delimiter, BadRowPolicy badRows)
    {
        bool named = features is { Count: > 0 };
        var selection = new ColumnSelection
        {
            Features = named ? features : model.FeatureNames,
            FeaturesOrigin = named ? "--features" : "the model's feature list",
            Exclude = exclude ?? [],
            Keys = keep,
            Label = label,
        };
        CsvFeatureReader reader = CsvFeatureReader.Open(input, delimiter, selection, badRows);
        if (reader.FeatureCount != model.FeatureCount)
        {
            reader.Dispose();
            throw CliException.Model(
                $"the model takes {model.FeatureCount} features but {input} gives {reader.FeatureCount} ({string.Join(", ", reader.FeatureNames)}); "
                + "name the training features with --features, in training order.");
        }

        return reader;
    }

    internal static void ReportSkipped(CliContext context, CsvFeatureReader reader)
    {
        if (reader.SkippedRowCount > 0)
        {
            context.Error.WriteLine($"warning: skipped {reader.SkippedRowCount} bad row(s) of {reader.Path}; first at line(s) {string.Join(", ", reader.FirstSkippedLines)}.");
        }
    }

    private static void WriteHeader(CsvOutputWriter writer, CsvFeatureReader reader, int latentDimension, int topFeatures)
    {
        foreach (string key in reader.KeyNames)
        {
            writer.Write(key);
        }

        writer.Write("Score");
        writer.Write("PredictedLabel");
        writer.Write("ReconstructionError");
        for (int i = 0; i < latentDimension; i++)
        {
            writer.Write($"LatentMean_{i}");
        }

        for (int i = 1; i <= topFeatures; i++)
        {
            writer.Write($"TopFeature_{i}");
            writer.Write($"TopFeatureError_{i}");
        }

        writer.EndRow();
    }

    private static void WriteRows(CsvOutputWriter writer, CsvFeatureReader reader, ScoreBlock block)
    {
        int keys = block.Keys.ColumnCount;
        int latent = block.LatentMeans.Length / block.Capacity;
        for (int r = 0; r < block.Rows; r++)
        {
            for (int k = 0; k < keys; k++)
            {
                writer.Write(block.Keys.Get(r, k));
            }

            int scoreStart = writer.Write(block.Scores[r]);
            int scoreLength = writer.Position - scoreStart;
            writer.Write(block.PredictedLabels[r]);
            if (block.ReconstructionErrors[r].Equals(block.Scores[r]))
            {
                writer.WriteCopy(scoreStart, scoreLength); // Score is the reconstruction error: format it once
            }
            else
            {
                writer.Write(block.ReconstructionErrors[r]);
            }
            foreach (float m in block.LatentMeans.AsSpan(r * latent, latent))
            {
                writer.Write(m);
            }

            for (int i = 0; i < block.TopFeatureCount; i++)
            {
                (int feature, float error) = block.TopFeature(r, i);
                writer.Write(reader.FeatureNames[feature]);
                writer.Write(error);
            }

            writer.EndRow();
        }
    }

    private sealed record ScoreRequest(string Model, string Input, string Output, IReadOnlyList<string> Keep, int TopFeatures, int BlockRows, int Threads,
        IReadOnlyList<string>? Features, IReadOnlyList<string>? Exclude, char? Delimiter, BadRowPolicy BadRows, bool Quiet);
}
