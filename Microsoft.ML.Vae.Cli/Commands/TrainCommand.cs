using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Files;
using Microsoft.ML.Vae.Cli.Terminal;
using Spectre.Console;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// <c>vae train</c>: CSV or Parquet in, model file out, every <see cref="VaeOptions"/> setting as a flag. The loss, scaling and
/// hidden layers default to <c>auto</c>: chosen from the data by <see cref="TrainingDefaults"/> (for tabular data the
/// library's anomaly-detection preset, <see cref="VaeOptions.ForAnomalyDetection"/>, whose other settings are the
/// flags' defaults).
/// </summary>
internal static class TrainCommand
{
    private const string Auto = "auto";

    /// <summary>
    /// The widest input trained on: far above real tabular data and flattened images (784 for MNIST), low enough that
    /// the per-feature buffers of training and scoring (about 2 KB a feature) stay small.
    /// </summary>
    public const int MaxFeatures = 65_536;

    /// <summary>Bytes of training state per weight: the weights, their gradients, Adam's two moments, clipping and best-epoch copies.</summary>
    private const long BytesPerWeight = 6 * sizeof(float);

    /// <summary>Bytes per feature of the scoring buffers (128 rows of the input, its scaled copy and the reconstruction).</summary>
    private const long BytesPerFeature = 128 * 4 * sizeof(float);

    public static System.CommandLine.Command Create(CliContext context)
    {
        var defaults = TrainingDefaults.Preset;
        var input = new InputOptions();
        var model = CommonOptions.Model("Where to write the trained model ('-' writes standard output).");
        var features = CommonOptions.Features();
        var exclude = CommonOptions.Exclude();
        var quiet = CommonOptions.Quiet();

        var latent = CommonOptions.Int("--latent-dimension", "Size of the latent space.", defaults.LatentDimension);
        var hidden = new Option<string>("--hidden-layers")
        {
            Description = "Encoder layer widths; the decoder mirrors them ('none' for no hidden layer; auto: two layers sized from the feature count).",
            HelpName = "auto|512,256|none",
            DefaultValueFactory = _ => Auto,
        };
        var loss = CommonOptions.Choice("--loss",
            "Reconstruction loss (auto: gaussian, or bce for pixel-like data: all in [0, 1] and mostly exactly 0 or 1; squared-error on the TorchSharp engine).",
            Auto, [Auto, .. ModelDescription.Tokens<ReconstructionLoss>(ModelDescription.LossToken)]);
        var scaling = CommonOptions.Choice("--scaling",
            "Feature scaling fitted on the training rows (auto: minmax with gaussian and bce, standard with squared-error).", Auto,
            [Auto, .. ModelDescription.Tokens<FeatureScaling>(ModelDescription.ScalingToken)]);
        var epochs = CommonOptions.Int("--epochs", "Most passes over the training rows.", defaults.Epochs);
        var steps = CommonOptions.Int("--training-steps", "Optimizer steps to aim for whatever the row count, within --epochs (0 = run --epochs).", defaults.TrainingSteps);
        var trim = CommonOptions.Float("--trim-fraction", "Share of worst-fitted training rows left out of each epoch (0 = off).", defaults.TrimFraction);
        var inputNoise = CommonOptions.Float("--input-noise", "Denoising: probability of setting a scaled input to 0 or 1 in training (0 = off).", defaults.InputNoise);
        var ensembleSize = CommonOptions.Int("--ensemble-size",
            "Networks whose scores the Score column averages: this one and more trained on random shares of the rows (1 = one network).", defaults.EnsembleSize);
        var ensembleFraction = CommonOptions.Float("--ensemble-sample-fraction", "Share of the rows each extra network of the ensemble trains on.", defaults.EnsembleSampleFraction);
        var score = CommonOptions.Choice("--score", "What the Score column holds.",
            ModelDescription.ScoreToken(defaults.ScoreKind), ModelDescription.Tokens<ScoreKind>(ModelDescription.ScoreToken));
        var batchSize = CommonOptions.Int("--batch-size", "Rows per gradient step.", defaults.BatchSize);
        var learningRate = CommonOptions.Float("--learning-rate", "Adam step size.", defaults.LearningRate);
        var beta = CommonOptions.Float("--beta", "Weight of the KL term (beta-VAE).", defaults.Beta);
        var warmup = CommonOptions.Int("--kl-warmup-epochs", "Epochs over which the KL weight rises linearly to beta.", defaults.KlWarmupEpochs);
        var validation = CommonOptions.Float("--validation-fraction", "Share of rows held out for validation loss.", defaults.ValidationFraction);
        var patience = CommonOptions.Int("--early-stopping-patience", "Stop after this many epochs without validation improvement (0 = off).", defaults.EarlyStoppingPatience);
        var clip = CommonOptions.Float("--gradient-clip-norm", "Clip the gradient's global norm (0 = off).", defaults.GradientClipNorm);
        var contamination = CommonOptions.Float("--contamination", "Share of training rows above the anomaly threshold.", defaults.Contamination);
        var seed = CommonOptions.Int("--seed", "Random seed (same data, options, seed and threads give the same model file).", defaults.Seed);
        var threads = CommonOptions.Int("--threads", "Worker threads (0 = all cores; 1 on TorchSharp's CPU engine).", defaults.ThreadCount);
        var engine = CommonOptions.Choice("--engine",
            "Where training runs: the library's own numerics, or libtorch through TorchSharp (a vae built with -p:VaeTorchSharp=cpu or cuda).",
            "managed", "managed", "torchsharp");
        var device = new Option<string>("--device") { Description = "TorchSharp's device.", HelpName = "cpu|cuda|cuda:N", DefaultValueFactory = _ => "cpu" };

        var command = new System.CommandLine.Command("train", "Train a VAE on the numeric columns of a CSV or Parquet file and save the model.")
        {
            model, features, exclude, quiet,
            latent, hidden, loss, scaling, epochs, steps, batchSize, learningRate, beta, warmup, validation, patience, trim, inputNoise, clip,
            score, ensembleSize, ensembleFraction, contamination, seed, threads, engine, device,
        };
        foreach (Option option in input.All.Reverse())
        {
            command.Options.Insert(0, option);
        }

        context.SetAction(command, (parse, cancellationToken) =>
        {
            string engineName = parse.GetValue(engine)!;
            var choices = new ModelChoices(
                ModelDescription.FromToken<ReconstructionLoss>(parse.GetValue(loss), ModelDescription.LossToken),
                ModelDescription.FromToken<FeatureScaling>(parse.GetValue(scaling), ModelDescription.ScalingToken),
                parse.GetValue(hidden) is Auto or null ? null : ParseLayers(parse.GetValue(hidden)));
            var options = choices.Complete(new VaeOptions
            {
                LatentDimension = parse.GetValue(latent),
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
                ScoreKind = ModelDescription.FromToken<ScoreKind>(parse.GetValue(score), ModelDescription.ScoreToken) ?? defaults.ScoreKind,
                EnsembleSize = parse.GetValue(ensembleSize),
                EnsembleSampleFraction = parse.GetValue(ensembleFraction),
                Contamination = parse.GetValue(contamination),
                Seed = parse.GetValue(seed),
                ThreadCount = parse.GetValue(threads),
                TrainingEngine = TrainingEngines.Create(engineName, parse.GetValue(device)!),
            }, TrainingDefaults.For(1, pixelLike: false, managedEngine: engineName == "managed"));
            Validate(options); // before reading any data: --epochs 0 fails at once
            var request = new TrainRequest(parse.GetRequiredValue(model), CommonOptions.Selection(parse, features, exclude), parse.GetValue(quiet), options, choices);
            return Run(context, parse, input, request, cancellationToken);
        });
        return command;
    }

    private static int Run(CliContext context, ParseResult parse, InputOptions input, TrainRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        ProgressDisplay progress = context.Progress(request.Quiet);
        FeatureMatrix matrix;
        long skipped;
        OutputFile output;
        string inputName;
        using (FeatureReader reader = input.Open(context, parse, request.Selection))
        {
            inputName = reader.Name;
            if (reader.FeatureCount > MaxFeatures)
            {
                throw CliException.BadInput(string.Create(CultureInfo.InvariantCulture,
                    $"{reader.Name} has {reader.FeatureCount:N0} feature columns; vae train takes at most {MaxFeatures:N0}: name them with --features or leave some out with --exclude."));
            }

            output = OutputFile.Resolve(context, request.Model, "--model", NamedInput.Of("--input", reader.Input));
            matrix = progress.Run($"Reading {Path.GetFileName(reader.Name)}", 1, report => FeatureMatrixLoader.Load(reader, f => report(f, null)));
            skipped = reader.SkippedRowCount;
            InputOptions.ReportSkipped(context, reader);
        }

        // The loader's chunks (as large as the matrix) are garbage now; return them before Fit allocates its scaled
        // copy, or peak memory holds three copies of the data instead of two.
        GC.Collect();
        TimeSpan readTime = clock.Elapsed;

        VaeOptions options = ChooseFromData(context, request, matrix);
        CheckMemory(options, matrix);
        var estimator = new VaeEstimator(options);
        bool logEpochs = !progress.Enabled && !request.Quiet;
        VaeTransformer trained;
        try
        {
            // An ensemble trains its networks one after another: the bar runs over all of their epochs.
            int epochCount = options.EpochsFor(matrix.RowCount);
            int memberEpochs = options.EnsembleNetworkEpochsFor(matrix.RowCount);
            trained = progress.Run("Training", options.EnsembleEpochsFor(matrix.RowCount), report =>
                estimator.Fit(matrix, new InlineProgress<VaeEpochReport>(epoch =>
                {
                    int done = options.EpochsBefore(epoch.Network, matrix.RowCount) + epoch.Epoch;
                    string network = options.EnsembleSize == 1 ? "" : $"network {epoch.Network}/{options.EnsembleSize}, ";
                    report(done, string.Create(CultureInfo.InvariantCulture, $"{network}loss {epoch.Loss:G5}"));
                    if (logEpochs)
                    {
                        int epochs = epoch.Network == 1 ? epochCount : memberEpochs;
                        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{network}epoch {epoch.Epoch}/{epochs}: loss {epoch.Loss:G5} (reconstruction {epoch.ReconstructionLoss:G5}, KL {epoch.KlDivergence:G5}{(float.IsNaN(epoch.ValidationLoss) ? "" : $", validation {epoch.ValidationLoss:G5}")}), {epoch.SamplesPerSecond:F0} rows/s"));
                    }
                }), cancellationToken));
        }
        catch (ArgumentException e)
        {
            throw CliException.BadInput($"{inputName}: {OptionFlags.ToolWords(e)}", e); // e.g. too few rows for --validation-fraction
        }
        catch (Exception e) when (options.TrainingEngine is not null && e is NotSupportedException or (InvalidOperationException and not VaeTrainingException))
        {
            // The engine cannot run here (no libtorch, no CUDA device): its message names the cause and the fix.
            throw CliException.Usage($"Cannot train on {options.TrainingEngine}: {e.Message}");
        }

        output.Write(stream => trained.Save(stream));
        WriteSummary(context, inputName, request.Model, matrix, skipped, trained, readTime, clock.Elapsed);
        if (trained.TrainingSummary.PosteriorCollapse)
        {
            context.Warn(ModelDescription.CollapseWarning(trained.TrainingSummary));
        }

        return ExitCodes.Success;
    }

    /// <summary>Throws a usage error, in flag names, when the options are invalid whatever the data.</summary>
    private static void Validate(VaeOptions options)
    {
        if (options is { ReconstructionLoss: ReconstructionLoss.BinaryCrossEntropy, Scaling: FeatureScaling.Standard })
        {
            throw CliException.Usage("--loss bce needs values in [0, 1]: use it with --scaling minmax, or use --loss squared-error with --scaling standard.");
        }

        try
        {
            _ = new VaeEstimator(options);
        }
        catch (ArgumentException e)
        {
            throw CliException.Usage(OptionFlags.ToolWords(e));
        }
    }

    /// <summary>The options with the data-dependent defaults filled in; says on stderr what was chosen.</summary>
    private static VaeOptions ChooseFromData(CliContext context, TrainRequest request, FeatureMatrix matrix)
    {
        ModelChoices choices = request.Choices;
        if (choices.IsComplete)
        {
            return request.Options;
        }

        bool pixelLike = TrainingDefaults.IsPixelLike(matrix.Values.Span);
        VaeOptions options = choices.Complete(request.Options, TrainingDefaults.For(matrix.ColumnCount, pixelLike, managedEngine: request.Options.TrainingEngine is null));
        string data = pixelLike ? "pixel-like values (all in [0, 1], mostly exactly 0 or 1)" : "continuous values";
        context.Note($"training with --loss {ModelDescription.LossToken(options.ReconstructionLoss)} --scaling {ModelDescription.ScalingToken(options.Scaling)} "
            + $"--hidden-layers {ModelDescription.HiddenLayersToken(options.HiddenLayers)}, chosen for {matrix.ColumnCount} feature(s) of {data}; give the flags to choose otherwise.");
        return options;
    }

    /// <summary>Refuses, before allocating it, a model whose training state would not fit in the memory available.</summary>
    private static void CheckMemory(VaeOptions options, FeatureMatrix matrix)
    {
        long weights = Serialization.ModelFile.ExpectedParameterCount(matrix.ColumnCount, options.LatentDimension, [.. options.HiddenLayers],
            options.ReconstructionLoss);
        // The data twice (rows and their scaled copy), one ensemble network's share of it while that network trains,
        // one network's training state at a time and every finished network's weights.
        long data = (long)matrix.RowCount * matrix.ColumnCount * sizeof(float);
        double share = options.EnsembleSize > 1 ? options.EnsembleSampleFraction : 0;
        long needed = (weights * BytesPerWeight) + ((options.EnsembleSize - 1) * weights * sizeof(float)) + (long)((2 + share) * data) +
            (matrix.ColumnCount * BytesPerFeature);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (needed > available)
        {
            throw CliException.BadInput(string.Create(CultureInfo.InvariantCulture,
                $"training {matrix.ColumnCount} features with --hidden-layers {ModelDescription.HiddenLayersToken(options.HiddenLayers)} needs about {needed / 1e9:F1} GB ({weights:N0} weights) but {available / 1e9:F1} GB are available; give smaller --hidden-layers or fewer features (--features)."));
        }
    }

    private static void WriteSummary(CliContext context, string input, string modelPath, FeatureMatrix matrix, long skipped, VaeTransformer model,
        TimeSpan readTime, TimeSpan totalTime)
    {
        VaeTrainingSummary summary = model.TrainingSummary;
        var table = new Table().Title("Training summary").AddColumn("Setting").AddColumn("Value");
        void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("Input", input);
        Row("Rows (skipped)", $"{matrix.RowCount} ({skipped})");
        Row("Features", $"{matrix.ColumnCount}: {Shorten(string.Join(", ", matrix.ColumnNames ?? []))}");
        Row("Architecture", ModelDescription.Architecture(model));
        Row("Engine", model.Options.TrainingEngine?.ToString() ?? "managed");
        Row("Loss / scaling", $"{ModelDescription.LossToken(model.Options.ReconstructionLoss)} / {ModelDescription.ScalingToken(model.Options.Scaling)}");
        Row("Epochs run (best)", $"{summary.EpochsRun} ({summary.BestEpoch})");
        Row("Final loss", Format(summary.FinalLoss));
        Row("Reconstruction / KL", $"{Format(summary.FinalReconstructionLoss)} / {Format(summary.FinalKlDivergence)}");
        Row("Validation loss", Format(summary.FinalValidationLoss));
        Row("Latent usage", ModelDescription.LatentUsage(summary));
        Row("Posterior collapse", summary.PosteriorCollapse ? "yes (see the warning)" : ModelDescription.PosteriorCollapse(summary));
        Row("Score", ModelDescription.Score(model.Options));
        Row("Threshold", Format(model.Threshold));
        Row("Read time", $"{readTime.TotalSeconds:F2} s");
        Row("Total time", $"{totalTime.TotalSeconds:F2} s");
        Row("Model", StandardStreams.IsDash(modelPath) ? StandardStreams.OutputName : modelPath);
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
                throw CliException.Usage($"--hidden-layers takes auto, none or positive whole numbers separated by commas, e.g. 512,256 (got '{part}').");
            }

            widths.Add(width);
        }

        return [.. widths];
    }

    /// <summary>The loss, scaling and hidden layers given on the command line; null where auto.</summary>
    private sealed record ModelChoices(ReconstructionLoss? Loss, FeatureScaling? Scaling, int[]? HiddenLayers)
    {
        public bool IsComplete => Loss is not null && Scaling is not null && HiddenLayers is not null;

        /// <summary>
        /// <paramref name="options"/> with the choices made, the rest from <paramref name="defaults"/>; a given loss
        /// brings its own scaling (minmax for bce and gaussian, standard for squared error), and a given standard scaling its loss.
        /// </summary>
        public VaeOptions Complete(VaeOptions options, VaeOptions defaults)
        {
            ReconstructionLoss loss = Loss ?? (Scaling == FeatureScaling.Standard ? ReconstructionLoss.SquaredError : defaults.ReconstructionLoss);
            FeatureScaling scaling = Scaling
                ?? (Loss is null ? defaults.Scaling : loss == ReconstructionLoss.SquaredError ? FeatureScaling.Standard : FeatureScaling.MinMax);
            return options with { ReconstructionLoss = loss, Scaling = scaling, HiddenLayers = HiddenLayers ?? defaults.HiddenLayers };
        }
    }

    private sealed record TrainRequest(string Model, ColumnSelection Selection, bool Quiet, VaeOptions Options, ModelChoices Choices);
}
