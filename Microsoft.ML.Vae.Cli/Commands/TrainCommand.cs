using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Terminal;
using Spectre.Console;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// <c>vae train</c>: CSV in, model file out, every <see cref="VaeOptions"/> setting as a flag, defaulting to the library's
/// anomaly-detection preset (<see cref="VaeOptions.ForAnomalyDetection"/>).
/// </summary>
internal static class TrainCommand
{
    public static System.CommandLine.Command Create(CliContext context)
    {
        var defaults = VaeOptions.ForAnomalyDetection();
        var input = CommonOptions.Input();
        var model = CommonOptions.Model("Where to write the trained model.");
        var features = CommonOptions.Features();
        var exclude = CommonOptions.Exclude();
        var delimiter = CommonOptions.Delimiter();
        var badRows = CommonOptions.BadRows();
        var quiet = CommonOptions.Quiet();

        var latent = new Option<int>("--latent-dimension") { Description = "Size of the latent space.", DefaultValueFactory = _ => defaults.LatentDimension, HelpName = "int" };
        var hidden = new Option<string>("--hidden-layers")
        {
            Description = "Encoder layer widths; the decoder mirrors them ('none' for no hidden layer).",
            HelpName = "512,256",
            DefaultValueFactory = _ => ModelDescription.HiddenLayersToken(defaults.HiddenLayers),
        };
        var loss = new Option<string>("--loss")
        {
            Description = "Reconstruction loss.",
            HelpName = "gaussian|squared-error|bce",
            DefaultValueFactory = _ => ModelDescription.LossToken(defaults.ReconstructionLoss),
        }.AcceptOnlyFromAmong("gaussian", "squared-error", "bce");
        var scaling = new Option<string>("--scaling")
        {
            Description = "Feature scaling fitted on the training rows.",
            HelpName = "none|minmax|standard",
            DefaultValueFactory = _ => ModelDescription.ScalingToken(defaults.Scaling),
        }.AcceptOnlyFromAmong("none", "minmax", "standard");
        var epochs = new Option<int>("--epochs") { Description = "Most passes over the training rows.", DefaultValueFactory = _ => defaults.Epochs, HelpName = "int" };
        var steps = new Option<int>("--training-steps") { Description = "Optimizer steps to aim for whatever the row count, within --epochs (0 = run --epochs).", DefaultValueFactory = _ => defaults.TrainingSteps, HelpName = "int" };
        var trim = new Option<float>("--trim-fraction") { Description = "Share of worst-fitted training rows left out of each epoch (0 = off).", DefaultValueFactory = _ => defaults.TrimFraction, HelpName = "float" };
        var inputNoise = new Option<float>("--input-noise") { Description = "Denoising: probability of setting a scaled input to 0 or 1 in training (0 = off).", DefaultValueFactory = _ => defaults.InputNoise, HelpName = "float" };
        var score = new Option<string>("--score")
        {
            Description = "What the Score column holds.",
            HelpName = "reconstruction-error|negative-elbo",
            DefaultValueFactory = _ => ModelDescription.ScoreToken(defaults.ScoreKind),
        }.AcceptOnlyFromAmong("reconstruction-error", "negative-elbo");
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per gradient step.", DefaultValueFactory = _ => defaults.BatchSize, HelpName = "int" };
        var learningRate = new Option<float>("--learning-rate") { Description = "Adam step size.", DefaultValueFactory = _ => defaults.LearningRate, HelpName = "float" };
        var beta = new Option<float>("--beta") { Description = "Weight of the KL term (beta-VAE).", DefaultValueFactory = _ => defaults.Beta, HelpName = "float" };
        var warmup = new Option<int>("--kl-warmup-epochs") { Description = "Epochs over which the KL weight rises linearly to beta.", DefaultValueFactory = _ => defaults.KlWarmupEpochs, HelpName = "int" };
        var validation = new Option<float>("--validation-fraction") { Description = "Share of rows held out for validation loss.", DefaultValueFactory = _ => defaults.ValidationFraction, HelpName = "float" };
        var patience = new Option<int>("--early-stopping-patience") { Description = "Stop after this many epochs without validation improvement (0 = off).", DefaultValueFactory = _ => defaults.EarlyStoppingPatience, HelpName = "int" };
        var clip = new Option<float>("--gradient-clip-norm") { Description = "Clip the gradient's global norm (0 = off).", DefaultValueFactory = _ => defaults.GradientClipNorm, HelpName = "float" };
        var contamination = new Option<float>("--contamination") { Description = "Share of training rows above the anomaly threshold.", DefaultValueFactory = _ => defaults.Contamination, HelpName = "float" };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed and threads give the same model).", DefaultValueFactory = _ => defaults.Seed, HelpName = "int" };
        var threads = new Option<int>("--threads") { Description = "Worker threads (0 = all cores).", DefaultValueFactory = _ => defaults.ThreadCount, HelpName = "int" };

        var command = new System.CommandLine.Command("train", "Train a VAE on the numeric columns of a CSV file and save the model.")
        {
            input, model, features, exclude, delimiter, badRows, quiet,
            latent, hidden, loss, scaling, epochs, steps, batchSize, learningRate, beta, warmup, validation, patience, trim, inputNoise, clip,
            score, contamination, seed, threads,
        };

        context.SetAction(command, (parse, cancellationToken) =>
        {
            var options = new VaeOptions
            {
                LatentDimension = parse.GetValue(latent),
                HiddenLayers = ParseLayers(parse.GetValue(hidden)),
                ReconstructionLoss = parse.GetValue(loss) switch
                {
                    "squared-error" => ReconstructionLoss.SquaredError,
                    "bce" => ReconstructionLoss.BinaryCrossEntropy,
                    _ => ReconstructionLoss.Gaussian,
                },
                Scaling = parse.GetValue(scaling) switch { "none" => FeatureScaling.None, "standard" => FeatureScaling.Standard, _ => FeatureScaling.MinMax },
                Epochs = parse.GetValue(epochs),
                TrainingSteps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batchSize),
                LearningRate = parse.GetValue(learningRate),
                Beta = parse.GetValue(beta),
                KlWarmupEpochs = parse.GetValue(warmup),
                ValidationFraction = parse.GetValue(validation),
                EarlyStoppingPatience = parse.GetValue(patience),
                TrimFraction = parse.GetValue(trim),
                InputNoise = parse.GetValue(inputNoise),
                GradientClipNorm = parse.GetValue(clip),
                ScoreKind = parse.GetValue(score) == "negative-elbo" ? ScoreKind.NegativeElbo : ScoreKind.ReconstructionError,
                Contamination = parse.GetValue(contamination),
                Seed = parse.GetValue(seed),
                ThreadCount = parse.GetValue(threads),
            };
            var request = new TrainRequest(
                parse.GetRequiredValue(input),
                parse.GetRequiredValue(model),
                CommonOptions.Selection(parse, features, exclude),
                DelimiterOption.Parse(parse.GetValue(delimiter)),
                parse.GetBadRows(badRows),
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
        int epochCount = request.Options.EpochsFor(matrix.RowCount);
        VaeTransformer trained = progress.Run("Training", epochCount, report =>
            estimator.Fit(matrix, new InlineProgress<VaeEpochReport>(epoch =>
            {
                string status = string.Create(CultureInfo.InvariantCulture, $"loss {epoch.Loss:G5}");
                report(epoch.Epoch, status);
                if (logEpochs)
                {
                    context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"epoch {epoch.Epoch}/{epochCount}: loss {epoch.Loss:G5} (reconstruction {epoch.ReconstructionLoss:G5}, KL {epoch.KlDivergence:G5}{(float.IsNaN(epoch.ValidationLoss) ? "" : $", validation {epoch.ValidationLoss:G5}")}), {epoch.SamplesPerSecond:F0} rows/s"));
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

    private static int[] ParseLayers(string? text)
    {
        if (text is null or "" or "none")
        {
            return [];
        }

        var widths = new List<int>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int width) || width <= 0)
            {
                throw CliException.Usage($"--hidden-layers takes positive integers separated by commas, e.g. 512,256 (got '{part}').");
            }

            widths.Add(width);
        }

        return [.. widths];
    }

    private sealed record TrainRequest(string Input, string Model, ColumnSelection Selection, char? Delimiter, BadRowPolicy BadRows, bool Quiet, VaeOptions Options);
}
