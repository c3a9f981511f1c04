using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Terminal;
using Spectre.Console;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary><c>vae train</c>: CSV in, model file out, every <see cref="VaeOptions"/> setting as a flag.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new VaeOptions();
        var input = CommonOptions.Input();
        var model = CommonOptions.Model("Where to write the trained model.");
        var features = CommonOptions.Features();
        var exclude = CommonOptions.Exclude();
        var delimiter = CommonOptions.Delimiter();
        var badRows = CommonOptions.BadRows();
        var quiet = CommonOptions.Quiet();

        var latent = new Option<int>("--latent-dimension") { Description = "Size of the latent space.", DefaultValueFactory = _ => defaults.LatentDimension };
        var hidden = new Option<int[]>("--hidden-layers")
        {
            Description = "Encoder layer widths; the decoder mirrors them ('none' for no hidden layer).",
            HelpName = "512,256",
            DefaultValueFactory = _ => [.. defaults.HiddenLayers],
            CustomParser = result => CommonOptions.ParseIntList(result, "--hidden-layers"),
        };
        var loss = new Option<ReconstructionLoss>("--loss")
        {
            Description = "Reconstruction loss.",
            HelpName = "bce|squared-error",
            DefaultValueFactory = _ => defaults.ReconstructionLoss,
            CustomParser = result => result.Tokens[0].Value.ToLowerInvariant() switch
            {
                "bce" or "binary-cross-entropy" => ReconstructionLoss.BinaryCrossEntropy,
                "squared-error" or "mse" => ReconstructionLoss.SquaredError,
                string other => Error<ReconstructionLoss>(result, $"--loss must be bce or squared-error (was '{other}')."),
            },
        };
        var scaling = new Option<FeatureScaling>("--scaling")
        {
            Description = "Feature scaling fitted on the training rows.",
            HelpName = "none|minmax|standard",
            DefaultValueFactory = _ => defaults.Scaling,
            CustomParser = result => result.Tokens[0].Value.ToLowerInvariant() switch
            {
                "none" => FeatureScaling.None,
                "minmax" => FeatureScaling.MinMax,
                "standard" => FeatureScaling.Standard,
                string other => Error<FeatureScaling>(result, $"--scaling must be none, minmax or standard (was '{other}')."),
            },
        };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training rows.", DefaultValueFactory = _ => defaults.Epochs };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per gradient step.", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<float>("--learning-rate") { Description = "Adam step size.", DefaultValueFactory = _ => defaults.LearningRate };
        var beta = new Option<float>("--beta") { Description = "Weight of the KL term (beta-VAE).", DefaultValueFactory = _ => defaults.Beta };
        var warmup = new Option<int>("--kl-warmup-epochs") { Description = "Epochs over which the KL weight rises linearly to beta.", DefaultValueFactory = _ => defaults.KlWarmupEpochs };
        var validation = new Option<float>("--validation-fraction") { Description = "Share of rows held out for validation loss.", DefaultValueFactory = _ => defaults.ValidationFraction };
        var patience = new Option<int>("--early-stopping-patience") { Description = "Stop after this many epochs without validation improvement (0 = off).", DefaultValueFactory = _ => defaults.EarlyStoppingPatience };
        var clip = new Option<float>("--gradient-clip-norm") { Description = "Clip the gradient's global norm (0 = off).", DefaultValueFactory = _ => defaults.GradientClipNorm };
        var contamination = new Option<float>("--contamination") { Description = "Share of training rows above the anomaly threshold.", DefaultValueFactory = _ => defaults.Contamination };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed and threads give the same model).", DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0 = all cores).", DefaultValueFactory = _ => defaults.ThreadCount };

        var command = new Command("train", "Train a VAE on the numeric columns of a CSV file and save the model.")
        {
            input, model, features, exclude, delimiter, badRows, quiet,
            latent, hidden, loss, scaling, epochs, batchSize, learningRate, beta, warmup, validation, patience, clip, contamination, seed, threads,
        };

        context.SetAction(command, (parse, cancellationToken) =>
        {
            var options = new VaeOptions
            {
                LatentDimension = parse.GetValue(latent),
                HiddenLayers = parse.GetValue(hidden) ?? [],
                ReconstructionLoss = parse.GetValue(loss),
                Scaling = parse.GetValue(scaling),
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(learningRate),
                Beta = parse.GetValue(beta),
                KlWarmupEpochs = parse.GetValue(warmup),
                ValidationFraction = parse.GetValue(validation),
                EarlyStoppingPatience = parse.GetValue(patience),
                GradientClipNorm = parse.GetValue(clip),
                Contamination = parse.GetValue(contamination),
                Seed = parse.GetValue(seed),
                ThreadCount = parse.GetValue(threads),
            };
            var request = new TrainRequest(
                parse.GetRequiredValue(input),
                parse.GetRequiredValue(model),
                CommonOptions.Selection(parse, features, exclude),
                DelimiterOption.Parse(parse.GetValue(delimiter)),
                parse.GetValue(badRows),
                parse.GetValue(quiet),
                options);
            return Run(context, request, cancellationToken);
        });
        return command;
    }

    private static int Run(CliContext context, TrainRequest request, CancellationToken cancellationToken)
    {
        VaeEstimator estimator;
        try
        {
            estimator = new VaeEstimator(request.Options);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage(e.Message); // an option value out of range, e.g. --epochs 0
        }

        var clock = Stopwatch.StartNew();
        ProgressDisplay progress = context.Progress(request.Quiet);
        FeatureMatrix matrix;
        IReadOnlyList<long> skippedLines;
        long skipped;
        using (CsvFeatureReader reader = CsvFeatureReader.Open(request.Input, request.Delimiter, request.Selection, request.BadRows))
        {
            matrix = progress.Run($"Reading {Path.GetFileName(request.Input)}", 1, report => FeatureMatrixLoader.Load(reader, f => report(f, null)));
            skipped = reader.SkippedRowCount;
            skippedLines = [.. reader.FirstSkippedLines];
        }

        // The loader's chunks (as large as the matrix) are garbage now; return them before Fit allocates its scaled
        // copy, or peak memory holds three copies of the data instead of two.
        GC.Collect();
        TimeSpan readTime = clock.Elapsed;
        if (skipped > 0)
        {
            context.Error.WriteLine($"warning: skipped {skipped} bad row(s) of {request.Input}; first at line(s) {string.Join(", ", skippedLines)}.");
        }

        bool logEpochs = !progress.Enabled && !request.Quiet;
        VaeTransformer trained = progress.Run("Training", request.Options.Epochs, report =>
            estimator.Fit(matrix, new InlineProgress<VaeEpochReport>(epoch =>
            {
                string status = string.Create(CultureInfo.InvariantCulture, $"loss {epoch.Loss:G5}");
                report(epoch.Epoch, status);
                if (logEpochs)
                {
                    context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {epoch.Epoch}/{request.Options.Epochs}: loss {epoch.Loss:G5} (reconstruction {epoch.ReconstructionLoss:G5}, KL {epoch.KlDivergence:G5}{(float.IsNaN(epoch.ValidationLoss) ? "" : $", validation {epoch.ValidationLoss:G5}")}), {epoch.SamplesPerSecond:F0} rows/s"));
                }
            }), cancellationToken));

        ModelFile.Save(trained, request.Model);
        WriteSummary(context, request, matrix, skipped, trained, readTime, clock.Elapsed);
        return ExitCodes.Success;
    }

    private static void WriteSummary(CliContext context, TrainRequest request, FeatureMatrix matrix, long skipped, VaeTransformer model, TimeSpan readTime, TimeSpan totalTime)
    {
        VaeTrainingSummary summary = model.TrainingSummary;
        var table = new Table().Title("Training summary").AddColumn("Setting").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("Input", request.Input);
        Row("Rows (skipped)", $"{matrix.RowCount} ({skipped})");
        Row("Features", $"{matrix.ColumnCount}: {Shorten(string.Join(", ", matrix.ColumnNames ?? []))}");
        Row("Architecture", ModelDescription.Architecture(model));
        Row("Epochs run (best)", $"{summary.EpochsRun} ({summary.BestEpoch})");
        Row("Final loss", Format(summary.FinalLoss));
        Row("Reconstruction / KL", $"{Format(summary.FinalReconstructionLoss)} / {Format(summary.FinalKlDivergence)}");
        Row("Validation loss", Format(summary.FinalValidationLoss));
        Row("Threshold", Format(model.Threshold));
        Row("Read time", $"{readTime.TotalSeconds:F2} s");
        Row("Total time", $"{totalTime.TotalSeconds:F2} s");
        Row("Model", request.Model);
        context.Console.Write(table);
    }

    internal static string Format(float value) => float.IsNaN(value) ? "-" : value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static T Error<T>(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return default!;
    }

    private sealed record TrainRequest(string Input, string Model, ColumnSelection Selection, char? Delimiter, BadRowPolicy BadRows, bool Quiet, VaeOptions Options);
}
