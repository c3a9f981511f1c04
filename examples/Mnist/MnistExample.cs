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

        Directory.CreateDirectory(settings.Output);
        var files = new List<string>();
        string Output(string name)
        {
            files.Add(name);
            return Path.Combine(settings.Output, name);
        }

        var report = new HtmlReport("Variational autoencoder on MNIST", string.Create(CultureInfo.InvariantCulture,
            $"784-512-256-{latent} encoder, mirrored decoder; binary cross-entropy + KL; Adam 1e-3, batch 128, {settings.Epochs} epochs on {train.Count:N0} images."));

        // Latent map: the means themselves for a 2-D latent space, else their two principal components.
        var (points, xLabel, yLabel) = latent == 2
            ? (means, "z1 (latent mean)", "z2 (latent mean)")
            : (LatentPrincipalComponents(model, test, settings.Seed), "first principal component of latent means", "second principal component");
        var latentMap = MnistFigures.LatentMap(points, test.Labels, xLabel, yLabel);
        latentMap.Save(Output("latent-map.svg"));
        report.AddSection("Latent map", "Each test image placed at its latent mean, coloured by its digit.").AddChart(latentMap);

        int width = test.Images.Width, height = test.Images.Height;
        var manifold = MnistFigures.Manifold(model, width, height);
        manifold.SavePng(Output("manifold.png"));
        report.AddSection("Manifold", latent == 2
                ? "Images decoded from a 20x20 grid over the latent plane (5%..95% quantiles of the prior)."
                : "Images decoded from a 20x20 grid over the first two latent axes (others at 0).")
            .AddImage(manifold);

        int shown = Math.Min(48, n);
        float[][] originals = Enumerable.Range(0, shown).Select(i => test.Images.GetImage(i).ToArray()).ToArray();
        var reconstructions = MnistFigures.Reconstructions(originals, model.Reconstruct(originals), width, height, perRow: 16);
        reconstructions.SavePng(Output("reconstructions.png"));
        report.AddSection("Reconstructions", "Test images (odd rows) above their reconstructions (even rows).").AddImage(reconstructions);

        var samples = MnistFigures.Samples(model.Sample(100, seed: PictureSeed), width, height, columns: 10);
        samples.SavePng(Output("samples.png"));
        report.AddSection("Samples from the prior", "100 images decoded from z ~ N(0, I).").AddImage(samples);

        // Denoising: a second model trained to undo the very noise the pictures add (InputNoise: corrupted inputs, clean
        // targets), with a latent space wide enough to keep the strokes; the textbook's 2-D code blurs them more than the
        // noise does (its reconstructions of noisy images are further from the clean ones than the noisy images are).
        VaeTransformer denoiser = TrainingDisplay.Fit(console, "MNIST denoising VAE", new VaeEstimator(new VaeOptions
        {
            LatentDimension = DenoisingLatent,
            HiddenLayers = [512, 256],
            ReconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
            Scaling = FeatureScaling.None,
            Epochs = Math.Min(settings.Epochs, DenoisingEpochs),
            InputNoise = (float)NoiseShare,
            Seed = settings.Seed,
        }), train.Images.ToFeatureMatrix());
        var (noisy, denoised, clean, noisyError, denoisedError) = Denoise(denoiser, test, Math.Min(1000, n));
        double textbookError = MeanSquaredError(model.Reconstruct(noisy), clean);
        int strip = Math.Min(16, noisy.Length);
        var denoising = MnistFigures.Denoising(noisy[..strip], denoised[..strip], clean[..strip], width, height);
        denoising.SavePng(Output("denoising.png"));
        report.AddSection("Denoising", string.Create(CultureInfo.InvariantCulture,
                $"Rows: test images with {NoiseShare:P0} of their pixels set to black or white at random (salt-and-pepper noise), their reconstructions by a 784-512-256-{DenoisingLatent} VAE trained on images corrupted the same way (InputNoise {NoiseShare:F1}), the clean originals. Mean squared error against the clean images over {noisy.Length} images: noisy {noisyError:F4}, denoised {denoisedError:F4} ({denoisedError / noisyError:F2}x); the 2-D model above, trained on clean images, reconstructs the noisy ones at {textbookError:F4}."))
            .AddImage(denoising);

        var history = model.TrainingSummary.History;
        var loss = MnistFigures.LossCurves(history);
        var kl = MnistFigures.KlCurve(history);
        loss.Save(Output("loss.svg"));
        kl.Save(Output("kl.svg"));
        report.AddSection("Training curves").AddChart(loss).AddChart(kl);

        var histogram = MnistFigures.Scores(scores, model.Threshold);
        histogram.Save(Output("scores.svg"));
        report.AddSection("Anomaly scores", "Reconstruction error of the test images; the threshold is the 99% quantile of the training scores.")
            .AddChart(histogram);

        var result = new MnistResult(train.Count, test.Count, trainingSeconds, sampled.NegativeElbo, atMean.NegativeElbo,
            scores.Average(), denoisedError, noisyError, textbookError, files);
        var rows = Summary(result, sampled, model);
        report.AddSection("Results").AddTable(["measure", "value"], rows.Select(r => (IReadOnlyList<string>)[r.Name, r.Value]));

        model.Save(Output("model.vae"));
        model.ExportOnnx(Output("model.onnx"));
        report.Save(Output("report.html"));

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

    private static List<(string Name, string Value)> Summary(MnistResult result, VaeLoss sampled, VaeTransformer model)
    {
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        return
        [
            ("training images", F(result.TrainingRows, "N0")),
            ("test images", F(result.TestRows, "N0")),
            ("epochs", F(model.TrainingSummary.EpochsRun, "N0")),
            ("training time (s)", F(result.TrainingSeconds, "F1")),
            ("final training loss (nats)", F(model.TrainingSummary.FinalLoss, "F2")),
            ("test -ELBO, z sampled (nats)", F(result.TestNegativeElbo, "F2")),
            ("  reconstruction term", F(sampled.Reconstruction, "F2")),
            ("  KL term", F(sampled.KlDivergence, "F2")),
            ("test -ELBO, z = mean (nats)", F(result.TestNegativeElboAtMean, "F2")),
            ("test reconstruction error (MSE)", F(result.TestReconstructionError, "F4")),
            ("anomaly threshold (MSE)", F(model.Threshold, "F4")),
            ("denoising MSE: noisy -> denoised (ratio)", $"{F(result.NoisyError, "F4")} -> {F(result.DenoisedError, "F4")} ({F(result.DenoisedError / result.NoisyError, "F2")}x)"),
            ("  the 2-D model on the noisy images", F(result.TextbookDenoisedError, "F4")),
        ];
    }
}
