using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Vae;
using Microsoft.ML.Vae.Reports;
using Spectre.Console;

namespace VaeMl.Examples.Mnist;

/// <summary>
/// The seed's worked example: trains a VAE (784-512-256-2, binary cross-entropy + KL, Adam 1e-3, batch 128) on
/// MNIST, reports the test set's negative ELBO, and writes pictures, charts, an HTML report and the model.
/// </summary>
public static class MnistExample
{
    private const int PictureSeed = 1;

    /// <summary>Command-line entry: parses flags, runs, prints errors plainly. Returns the process exit code.</summary>
    public static int RunCommandLine(string[] args, IAnsiConsole console) =>
        ExampleConsole.RunCommandLine(args, console, MnistSettings.Parse, MnistSettings.Usage, (settings, output) => Run(settings, output));

    /// <summary>Runs the example with <paramref name="settings"/>, writing progress and results to <paramref name="console"/>.</summary>
    public static MnistResult Run(MnistSettings settings, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(console);

        DateTimeOffset started = DateTimeOffset.UtcNow;
        var paths = MnistFiles.Ensure(settings.Data, line => console.WriteLine(line));
        var train = MnistData.LoadTrain(paths, settings.Limit);
        var test = MnistData.LoadTest(paths, settings.Limit);
        console.WriteLine($"MNIST: {train.Count:N0} training and {test.Count:N0} test images of {train.Images.Height}x{train.Images.Width}.");

        // The seed architecture; pixels are already in [0, 1], the range binary cross-entropy needs, so no scaling.
        var estimator = new VaeEstimator(new VaeOptions
        {
            LatentDimension = settings.Latent,
            HiddenLayers = [512, 256],
            ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
            Scaling = FeatureScaling.None,
            Epochs = settings.Epochs,
            BatchSize = 128,
            LearningRate = 1e-3f,
            Seed = settings.Seed,
        });
        var stopwatch = Stopwatch.StartNew();
        VaeTransformer model = TrainingDisplay.Fit(console, "MNIST VAE", estimator, train.Images.ToFeatureMatrix());
        double trainingSeconds = stopwatch.Elapsed.TotalSeconds;

        var testMatrix = test.Images.ToFeatureMatrix();
        VaeLoss sampled = model.Evaluate(testMatrix, sampleLatent: true, seed: PictureSeed);
        VaeLoss atMean = model.Evaluate(testMatrix);

        int n = test.Count, latent = model.LatentDimension;
        var means = new float[n * latent];
        var scores = new float[n];
        model.Transform(testMatrix.Values.Span, means, default, default, default, scores, default);

        int width = test.Images.Width, height = test.Images.Height;
        int shown = Math.Min(48, n);
        float[][] originals = Enumerable.Range(0, shown).Select(i => test.Images.GetImage(i).ToArray()).ToArray();

        // Denoising: a second model trained to undo the very noise the pictures add (InputNoise: corrupted inputs, clean
        // targets), with a latent space wide enough to keep the strokes; the textbook's 2-D code blurs them more than the
        // noise does (its reconstructions of noisy images are further from the clean ones than the noisy images are).
        VaeTransformer denoiser = TrainingDisplay.Fit(console, "MNIST denoising VAE", new VaeEstimator(estimator.Options with
        {
            LatentDimension = DenoisingLatent,
            Epochs = Math.Min(settings.Epochs, DenoisingEpochs),
            InputNoise = (float)NoiseShare,
        }), train.Images.ToFeatureMatrix());
        var (noisy, denoised, clean, noisyError, denoisedError) = Denoise(denoiser, test, Math.Min(1000, n));
        double textbookError = MeanSquaredError(model.Reconstruct(noisy), clean);
        var result = new MnistResult(train.Count, test.Count, trainingSeconds, sampled.NegativeElbo, atMean.NegativeElbo,
            scores.Average(), denoisedError, noisyError, textbookError, []);
        var rows = Summary(result, sampled, model);

        Directory.CreateDirectory(settings.Output);
        var files = new List<string>();
        string Output(string name)
        {
            files.Add(name);
            return Path.Combine(settings.Output, name);
        }

        string I(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        string code = I($"{latent}-D");
        int epochsRun = model.TrainingSummary.EpochsRun;
        string epochs = epochsRun == 1 ? "1 epoch" : I($"{epochsRun} epochs");
        var report = new HtmlReport("Variational autoencoder on MNIST", I(
            $"784-512-256-{latent} encoder, mirrored decoder; binary cross-entropy + KL; Adam 1e-3, batch 128, {epochs} on {train.Count:N0} images."))
        {
            CreatedAt = started,
        };

        // The figures a reader looks for first, then what produced them, then the pictures.
        report.AddSection("Key numbers").AddTable(["measure", "value"], rows.Select(r => (IReadOnlyList<string>)[r.Name, r.Value]));
        report.AddSection("Settings").AddTable(["setting", "value"], Settings(settings, model)
            .Select(r => (IReadOnlyList<string>)[r.Name, r.Value]));

        var history = model.TrainingSummary.History;
        var loss = MnistFigures.LossCurves(history).Render();
        var kl = MnistFigures.KlCurve(history).Render();
        loss.Save(Output("loss.png"));
        kl.Save(Output("kl.png"));
        report.AddSection("Training curves")
            .AddImage(loss, "Line chart of the training loss and its reconstruction term per epoch, in nats per image",
                I($"Loss per epoch over {train.Count:N0} training images; final loss {model.TrainingSummary.FinalLoss:F2} nats after {epochs}."))
            .AddImage(kl, "Line chart of the KL divergence from the prior per epoch, in nats per image",
                I($"KL divergence of the {code} code from the prior; final {history[^1].KlDivergence:F2} nats."));

        // Latent map: the means themselves for a 2-D latent space, their two principal components for a wider one, and
        // for a 1-D one the mean against the digit (spread a little, so the points of a digit do not pile up).
        var (points, mapTitle, xLabel, yLabel, mapAlt, mapCaption) = latent switch
        {
            1 => (DigitStrip(means, test.Labels), "Test images' 1-D latent means by digit", "z1 (latent mean)", "digit",
                I($"Scatter of the {n:N0} test images' 1-D latent means, one band per digit"),
                "Each test image placed at its latent mean (across) in the band of its digit (up), coloured by its digit."),
            2 => (means, "Test images at their latent means", "z1 (latent mean)", "z2 (latent mean)",
                I($"Scatter of the {n:N0} test images' 2-D latent means, coloured by digit"),
                "Each test image placed at its latent mean, coloured by its digit."),
            _ => (LatentPrincipalComponents(model, test, settings.Seed), I($"{code} latent means of the test images, by PCA"),
                "first principal component", "second principal component",
                I($"Scatter of the {n:N0} test images' {code} latent means projected on their first two principal components, coloured by digit"),
                I($"Each test image placed by its {code} latent mean, projected by ML.NET's PCA onto the two directions of largest spread; coloured by its digit.")),
        };
        var latentMap = MnistFigures.LatentMap(points, test.Labels, mapTitle, xLabel, yLabel).Render();
        latentMap.Save(Output("latent-map.png"));
        report.AddSection("Latent map").AddImage(latentMap, mapAlt, mapCaption);

        var manifold = MnistFigures.Manifold(model, width, height);
        manifold.Save(Output("manifold.png"));
        report.AddSection("Manifold").AddImage(manifold,
            "Grid of digits decoded from evenly spaced latent points, with each column's z1 and each row's z2 written beside it",
            latent switch
            {
                1 => "Images decoded along the single latent axis, at 20 quantiles (5%..95%) of the prior.",
                2 => "Images decoded from a 20x20 grid over the latent plane, at quantiles (5%..95%) of the prior.",
                _ => I($"Images decoded from a 20x20 grid over the first two of the {latent} latent axes, at quantiles (5%..95%) of the prior, the other {latent - 2} held at 0."),
            });

        var reconstructions = MnistFigures.Reconstructions(originals, model.Reconstruct(originals), width, height, perRow: 16);
        reconstructions.Save(Output("reconstructions.png"));
        report.AddSection("Reconstructions").AddImage(reconstructions,
            I($"Rows of {shown} test digits, each row labelled original, above a row of their reconstructions"),
            I($"The first {shown} test images (rows labelled original) above their reconstructions through the {code} code (z = latent mean)."));

        var samples = MnistFigures.Samples(model.Sample(100, seed: PictureSeed), width, height, columns: 10);
        samples.Save(Output("samples.png"));
        report.AddSection("Samples from the prior").AddImage(samples, "Ten by ten grid of digits generated by the decoder",
            I($"100 images decoded from z ~ N(0, I) in {latent} dimension{(latent == 1 ? "" : "s")} (seed {PictureSeed})."));

        int strip = Math.Min(16, noisy.Length);
        var denoising = MnistFigures.Denoising(noisy[..strip], denoised[..strip], clean[..strip], width, height, NoiseShare);
        denoising.Save(Output("denoising.png"));
        string effect = denoisedError < noisyError
            ? I($"reconstructing cuts it by {1 - (denoisedError / noisyError):0%}")
            : "reconstructing does not lower it here: the code keeps a digit's overall shape rather than its exact strokes, so the gain is in the look";
        report.AddSection("Denoising").AddImage(denoising,
            I($"Three rows of {strip} digits labelled noisy, denoised and clean"),
            I($"Test images with {NoiseShare:0%} of their pixels set to black or white at random (salt-and-pepper noise), their reconstructions by a 784-512-256-{DenoisingLatent} VAE trained on images corrupted the same way (InputNoise {NoiseShare:F1}), the clean originals. Mean squared error against the clean images over {noisy.Length:N0} images: noisy {noisyError:F4}, denoised {denoisedError:F4}; {effect}. The {code} model above, trained on clean images, reconstructs the noisy ones at {textbookError:F4}."));

        var histogram = MnistFigures.Scores(scores, model.Threshold).Render();
        histogram.Save(Output("scores.png"));
        int above = scores.Count(s => s > model.Threshold);
        report.AddSection("Anomaly scores").AddImage(histogram,
            "Histogram of the test images' reconstruction errors with a dashed line at the anomaly threshold",
            I($"Reconstruction error of the {n:N0} test images; the threshold {model.Threshold:F4} is the {1 - model.Options.Contamination:0%} quantile of the training scores, and {above:N0} test images ({(double)above / n:0.0%}) score above it."));

        model.Save(Output("model.vae"));
        model.ExportOnnx(Output("model.onnx"));
        report.Save(Output("report.html"));
        result = result with { Files = files };

        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in rows)
        {
            table.AddRow(Markup.Escape(name), Markup.Escape(value));
        }

        console.Write(table);
        console.WriteLine($"Wrote {string.Join(", ", files)} to {Path.GetFullPath(settings.Output)}");
        return result;
    }

    /// <summary>The test images' latent means projected on their first two principal components by ML.NET's PCA, row-major [n, 2].</summary>
    private static float[] LatentPrincipalComponents(VaeTransformer model, MnistSplit test, int seed)
    {
        var ml = new MLContext(seed);
        IDataView scored = model.Transform(MnistDataView.Load(ml, test, digit => digit));
        var pca = ml.Transforms.ProjectToPrincipalComponents("PrincipalComponents", model.Options.LatentMeanColumnName, rank: 2, seed: seed).Fit(scored);
        return pca.Transform(scored).GetColumn<float[]>("PrincipalComponents").SelectMany(point => point).ToArray();
    }

    /// <summary>Points (latent mean, digit + jitter) for a 1-D latent space, row-major [n, 2].</summary>
    private static float[] DigitStrip(float[] means, byte[] labels)
    {
        var random = new Random(PictureSeed);
        var points = new float[2 * labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            points[2 * i] = means[i];
            points[(2 * i) + 1] = labels[i] + (0.6f * (random.NextSingle() - 0.5f));
        }

        return points;
    }

    private const double NoiseShare = 0.1;

    /// <summary>Latent width of the denoising model: wide enough to keep the strokes that a 2-D code blurs.</summary>
    private const int DenoisingLatent = 16;

    /// <summary>Epochs of the denoising model, at most (fewer with --epochs): it is there for the pictures and the error, not the ELBO.</summary>
    private const int DenoisingEpochs = 10;

    private static (float[][] Noisy, float[][] Denoised, float[][] Clean, double NoisyError, double DenoisedError) Denoise(
        VaeTransformer model, MnistSplit test, int count)
    {
        var random = new Random(PictureSeed);
        var clean = Enumerable.Range(0, count).Select(i => test.Images.GetImage(i).ToArray()).ToArray();
        var noisy = clean.Select(image => image.Select(p => random.NextDouble() < NoiseShare ? (random.Next(2) == 0 ? 0f : 1f) : p).ToArray()).ToArray();
        var denoised = model.Reconstruct(noisy);
        return (noisy, denoised, clean, MeanSquaredError(noisy, clean), MeanSquaredError(denoised, clean));
    }

    private static double MeanSquaredError(float[][] a, float[][] b)
    {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = 0; j < a[i].Length; j++)
            {
                double d = a[i][j] - b[i][j];
                sum += d * d;
            }

            count += a[i].Length;
        }

        return sum / count;
    }

    private static List<(string Name, string Value)> Settings(MnistSettings settings, VaeTransformer model)
    {
        string F(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        VaeOptions options = model.Options;
        return
        [
            ("architecture", $"784-{string.Join('-', options.HiddenLayers)}-{F(options.LatentDimension)}, decoder mirrored"),
            ("reconstruction loss", F(options.ReconstructionLoss)),
            ("optimizer", $"Adam, learning rate {F(options.LearningRate)}, batch {F(options.BatchSize)}"),
            ("epochs", F(options.Epochs)),
            ("seed", F(options.Seed)),
            ("threads", options.ThreadCount == 0 ? $"all cores ({F(Environment.ProcessorCount)})" : F(options.ThreadCount)),
            ("image limit", settings.Limit == int.MaxValue ? "none" : F(settings.Limit)),
            ("data", settings.Data ?? $"{MnistFiles.Package} (cached)"),
        ];
    }

    private static List<(string Name, string Value)> Summary(MnistResult result, VaeLoss sampled, VaeTransformer model)
    {
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        return
        [
            ("test -ELBO, z sampled (nats)", F(result.TestNegativeElbo, "F2")),
            ("  reconstruction term", F(sampled.Reconstruction, "F2")),
            ("  KL term", F(sampled.KlDivergence, "F2")),
            ("test -ELBO, z = mean (nats)", F(result.TestNegativeElboAtMean, "F2")),
            ("test reconstruction error (MSE)", F(result.TestReconstructionError, "F4")),
            ("anomaly threshold (MSE)", F(model.Threshold, "F4")),
            ("denoising MSE: noisy -> denoised (ratio)", $"{F(result.NoisyError, "F4")} -> {F(result.DenoisedError, "F4")} ({F(result.DenoisedError / result.NoisyError, "F2")}x)"),
            ("  the main model on the noisy images", F(result.TextbookDenoisedError, "F4")),
            ("final training loss (nats)", F(model.TrainingSummary.FinalLoss, "F2")),
            ("training images", F(result.TrainingRows, "N0")),
            ("test images", F(result.TestRows, "N0")),
            ("epochs", F(model.TrainingSummary.EpochsRun, "N0")),
            ("training time (s)", F(result.TrainingSeconds, "F1")),
        ];
    }
}
