using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The epoch loop shared by the engines: reshuffled mini-batches, linear KL warm-up, divergence checks, and an optional
/// validation split with early stopping that restores the best weights; optionally, a trimmed loss (the worst-fitted
/// rows left out of the next epoch). The numerics (forward, backward, clipping, Adam, denoising corruption, the Gaussian
/// decoder's variances set after every epoch) belong to an <see cref="ITrainingBackend"/>.
/// </summary>
internal static class VaeTrainer
{
    // Separate streams, so that e.g. changing the validation split does not change the initial weights.
    private const long ShuffleStream = 0x5348_5546;
    private const long NoiseStream = 0x4E4F_4953;
    private const long SplitStream = 0x5350_4C54;

    /// <summary>The seed stream of <see cref="VaeOptions.InputNoise"/>'s corruption (used by the backends).</summary>
    internal const long CorruptionStream = 0x434F_5252;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static VaeTrainingResult Train(
        VaeTrainingRequest request, ITrainingBackend backend, IProgress<VaeEpochReport>? progress, CancellationToken cancellationToken)
    {
        VaeOptions options = request.Options;
        NetworkLayout layout = request.Layout;
        int[] trainIndices = request.TrainingRows.ToArray();
        int trainingRows = trainIndices.Length;
        int trainCount = trainingRows;
        bool validating = !request.ValidationRows.IsEmpty;
        int batchSize = request.BatchSize;
        int epochs = options.EpochsFor(request.RowCount);
        var shuffle = new DeterministicRandom(options.Seed ^ ShuffleStream);
        var noise = new DeterministicRandom(options.Seed ^ NoiseStream);
        RowTrimming? trimming = options.TrimFraction > 0 && epochs > 1 ? new RowTrimming(layout, trainIndices, options.TrimFraction) : null;

        int stepsPerEpoch = (trainCount + batchSize - 1) / batchSize;
        long warmupSteps = (long)options.KlWarmupEpochs * stepsPerEpoch;
        long globalStep = 0;
        var history = new List<VaeEpochReport>(epochs);
        float bestValidation = float.PositiveInfinity;
        int bestEpoch = 0;
        bool keptBest = false;
        int epochsWithoutImprovement = 0;
        var total = Stopwatch.StartNew();
        float klWeight = options.Beta;

        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            long epochStart = Stopwatch.GetTimestamp();
            shuffle.Shuffle(trainIndices.AsSpan(0, trainCount));
            double lossSum = 0, reconstructionSum = 0, klSum = 0;
            for (int b = 0, start = 0; start < trainCount; b++, start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(batchSize, trainCount - start);
                klWeight = warmupSteps > 0 ? (float)(options.Beta * Math.Min(1.0, (globalStep + 1) / (double)warmupSteps)) : options.Beta;

                (BatchLoss loss, float norm) = backend.Step(trainIndices.AsSpan(start, rows), noise, klWeight);
                if (!double.IsFinite(loss.Total))
                {
                    throw Diverged($"the loss became {loss.Total}", epoch, b + 1);
                }

                if (!float.IsFinite(norm))
                {
                    throw Diverged($"the gradient norm became {norm}", epoch, b + 1);
                }

                globalStep++;
                lossSum += loss.Total * rows;
                reconstructionSum += loss.Reconstruction * rows;
                klSum += loss.Kl * rows;
            }

            backend.EndEpoch();
            double seconds = Stopwatch.GetElapsedTime(epochStart).TotalSeconds;
            float validationLoss = float.NaN;
            if (validating)
            {
                validationLoss = (float)backend.ValidationLoss();
                if (validationLoss < bestValidation)
                {
                    bestValidation = validationLoss;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    if (options.EarlyStoppingPatience > 0)
                    {
                        backend.KeepBest();
                        keptBest = true;
                    }
                }
                else
                {
                    epochsWithoutImprovement++;
                }
            }
            else
            {
                bestEpoch = epoch;
            }

            var report = new VaeEpochReport
            {
                Epoch = epoch,
                Loss = (float)(lossSum / trainCount),
                ReconstructionLoss = (float)(reconstructionSum / trainCount),
                KlDivergence = (float)(klSum / trainCount),
                ValidationLoss = validationLoss,
                KlWeight = klWeight,
                SamplesPerSecond = trainCount / Math.Max(seconds, 1e-9),
                Elapsed = total.Elapsed,
            };
            history.Add(report);
            progress?.Report(report);

            if (options.EarlyStoppingPatience > 0 && epochsWithoutImprovement >= options.EarlyStoppingPatience)
            {
                break;
            }

            if (trimming is not null && epoch < epochs)
            {
                trimming.Select(backend.Parameters(best: false), request.Rows.Span, trainIndices);
                trainCount = trimming.KeptCount;
            }
        }

        VaeEpochReport last = history[^1];
        var summary = new VaeTrainingSummary
        {
            EpochsRun = history.Count,
            BestEpoch = bestEpoch,
            TrainingRowCount = trainingRows,
            FinalLoss = last.Loss,
            FinalReconstructionLoss = last.ReconstructionLoss,
            FinalKlDivergence = last.KlDivergence,
            FinalValidationLoss = validating ? bestValidation : float.NaN,
            History = history,
        };
        return new VaeTrainingResult(backend.Parameters(keptBest), summary);
    }

    /// <summary>
    /// Mean per-row loss over all <paramref name="rowCount"/> scaled rows, in chunks of the step's batch size, with
    /// the given per-row noise [rowCount, latent] (zeros give z = latent mean).
    /// </summary>
    public static BatchLoss EvaluateScaled(
        TrainingStep step, ReadOnlySpan<float> parameters, ReadOnlySpan<float> scaled, int rowCount, int features, int latent,
        float klWeight, ReadOnlySpan<float> noise)
    {
        double lossSum = 0, reconstructionSum = 0, klSum = 0;
        for (int start = 0; start < rowCount; start += step.MaxRows)
        {
            int rows = Math.Min(step.MaxRows, rowCount - start);
            BatchLoss loss = step.Run(parameters, scaled.Slice(start * features, rows * features), rows, noise.Slice(start * latent, rows * latent), klWeight, default);
            lossSum += loss.Total * rows;
            reconstructionSum += loss.Reconstruction * rows;
            klSum += loss.Kl * rows;
        }

        return new BatchLoss(lossSum / rowCount, reconstructionSum / rowCount, klSum / rowCount);
    }

    /// <summary>
    /// The rows held out for validation (a seeded random share of <paramref name="fraction"/>, at least one row when
    /// the fraction is above 0) and the rows trained on.
    /// </summary>
    public static (int[] Validation, int[] Training) SplitValidation(int rowCount, float fraction, int seed)
    {
        if (fraction <= 0)
        {
            return ([], [.. Enumerable.Range(0, rowCount)]);
        }

        if (rowCount < 2)
        {
            throw new ArgumentException(
                $"VaeOptions.ValidationFraction needs at least 2 rows to split off a validation set (the data has {rowCount}).", "rows");
        }

        int[] order = new DeterministicRandom(seed ^ SplitStream).Permutation(rowCount);
        int validationCount = ValidationCount(rowCount, fraction);
        return (order[..validationCount], order[validationCount..]);
    }

    /// <summary>Rows <see cref="SplitValidation"/> holds out of <paramref name="rowCount"/>.</summary>
    public static int ValidationCount(int rowCount, float fraction) =>
        fraction <= 0 || rowCount < 2 ? 0 : Math.Clamp((int)Math.Round(rowCount * (double)fraction), 1, rowCount - 1);

    private static VaeTrainingException Diverged(string what, int epoch, int batch) => new(
        $"Training diverged: {what} in epoch {epoch}, batch {batch}. Lower LearningRate, set GradientClipNorm, or check the feature scaling.",
        epoch,
        batch);
}
