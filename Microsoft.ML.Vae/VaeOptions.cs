namespace Microsoft.ML.Vae;

/// <summary>
/// Settings of a <see cref="VaeEstimator"/>. Immutable: set them with an object initializer.
/// The defaults are the seed architecture (encoder 512-256, latent 2, binary cross-entropy, Adam 1e-3, batch 128);
/// <see cref="ForAnomalyDetection"/> is the preset for anomaly detection on tabular data.
/// </summary>
public sealed record VaeOptions
{
    /// <summary>
    /// The preset for anomaly detection on tabular data, which <c>vae train</c> uses by default: encoder 64-32, latent 2,
    /// a Gaussian decoder with a learned variance per feature, MinMax scaling, batches of 16 for about 3,000 optimizer
    /// steps whatever the row count (<see cref="TrainingSteps"/>, at most 1,000 epochs), the 10% worst-reconstructed
    /// training rows left out of each epoch (<see cref="TrimFraction"/>, so anomalies in the training data are not
    /// learned), <see cref="ScoreKind.ReconstructionError"/> as the score, averaged over 5 networks
    /// (<see cref="EnsembleSize"/>: the model's own and 4 trained on random halves of the rows). Change any setting with
    /// <c>with</c>: <c>VaeOptions.ForAnomalyDetection() with { Seed = 1 }</c>.
    /// </summary>
    /// <remarks>
    /// On the development sets of <c>benchmarks/anomaly.sh</c> (shuttle, glass, wine and optdigits) this preset's mean
    /// ROC-AUC is above Isolation Forest's; benchmarks/README.md has the table and the variants measured.
    /// </remarks>
    public static VaeOptions ForAnomalyDetection() => new()
    {
        HiddenLayers = [64, 32],
        LatentDimension = 2,
        ReconstructionLoss = ReconstructionLoss.Gaussian,
        Scaling = FeatureScaling.MinMax,
        BatchSize = 16,
        Epochs = 1000,
        TrainingSteps = 3000,
        TrimFraction = 0.1f,
        ScoreKind = ScoreKind.ReconstructionError,
        EnsembleSize = 5,
        EnsembleSampleFraction = 0.5f,
    };

    /// <summary>Width of the latent space (the number of latent-mean feature columns). At least 1.</summary>
    public int LatentDimension { get; init; } = 2;

    /// <summary>Widths of the encoder's hidden Dense+ReLU layers, input side first; the decoder mirrors them.</summary>
    public IReadOnlyList<int> HiddenLayers { get; init; } = [512, 256];

    /// <summary>Reconstruction term of the loss; also decides the decoder's output activation.</summary>
    public ReconstructionLoss ReconstructionLoss { get; init; } = ReconstructionLoss.BinaryCrossEntropy;

    /// <summary>Feature scaling fitted on the training rows and saved with the model.</summary>
    public FeatureScaling Scaling { get; init; } = FeatureScaling.MinMax;

    /// <summary>Maximum number of passes over the training rows.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>
    /// Optimizer steps to train for whatever the row count (0 = off): training runs ceil(TrainingSteps / batches per
    /// epoch) epochs, at most <see cref="Epochs"/>, so a set of a hundred rows gets as many updates as one of a hundred
    /// thousand.
    /// </summary>
    public int TrainingSteps { get; init; }

    /// <summary>Rows per optimizer step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam's step size.</summary>
    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Weight of the KL term (beta-VAE); 1 is the plain evidence lower bound.</summary>
    public float Beta { get; init; } = 1f;

    /// <summary>Epochs over which the KL weight rises linearly from 0 to <see cref="Beta"/>; 0 turns warm-up off.</summary>
    public int KlWarmupEpochs { get; init; }

    /// <summary>Share of the training rows held out to measure validation loss (0 turns validation off).</summary>
    public float ValidationFraction { get; init; }

    /// <summary>
    /// Stop after this many epochs without a better validation loss and restore the best weights
    /// (0 turns early stopping off). Needs <see cref="ValidationFraction"/> above 0.
    /// </summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>
    /// Share of the training rows left out of each epoch after the first, in [0, 0.5): the rows whose loss (negative
    /// ELBO at z = latent mean) was highest under the previous epoch's weights. Anomalies among the training rows are
    /// then not learned, so they keep high scores (a trimmed loss; 0 turns it off).
    /// </summary>
    public float TrimFraction { get; init; }

    /// <summary>
    /// Denoising: the probability, in [0, 1), that training sets a scaled input value to 0 or 1 (at random; salt-and-pepper
    /// noise, meant for features in [0, 1]) before encoding, while the loss compares the reconstruction with the clean row.
    /// The model then learns to undo such corruption (<see cref="VaeTransformer.Reconstruct"/>). 0 turns it off.
    /// </summary>
    public float InputNoise { get; init; }

    /// <summary>What the score column holds (<see cref="ScoreKind.ReconstructionError"/> by default).</summary>
    public ScoreKind ScoreKind { get; init; } = ScoreKind.ReconstructionError;

    /// <summary>
    /// Networks whose scores are averaged into the score column, at least 1: the model's own network, trained on every
    /// row, and <c>EnsembleSize - 1</c> more with the same architecture and options, each trained on its own random
    /// share (<see cref="EnsembleSampleFraction"/>) of the rows with its own seed. One network's ranking of rows moves a
    /// lot with its seed on small data sets, and networks that saw different rows rarely all learn the same cluster of
    /// anomalies, so the average ranks anomalies more reliably. Every other output (latent columns, reconstruction,
    /// reconstruction error, encoding, decoding, sampling) comes from the model's own network. Training and computing the
    /// score take up to EnsembleSize times as long.
    /// </summary>
    public int EnsembleSize { get; init; } = 1;

    /// <summary>Share of the training rows, in (0, 1], each extra network of <see cref="EnsembleSize"/> trains on (drawn without replacement).</summary>
    public float EnsembleSampleFraction { get; init; } = 0.5f;

    /// <summary>Rescale the gradient when its global L2 norm exceeds this value (0 turns clipping off).</summary>
    public float GradientClipNorm { get; init; }

    /// <summary>Share of training rows expected to score above the anomaly threshold, in [0, 0.5].</summary>
    public float Contamination { get; init; } = 0.01f;

    /// <summary>Seed of weight initialization, shuffling and sampling. Same seed and thread count give an identical model.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Threads used by training's numeric kernels; 0 uses every core (an engine may choose otherwise: TorchSharp's
    /// defaults to one thread on the CPU).
    /// </summary>
    public int ThreadCount { get; init; }

    /// <summary>
    /// Where the network trains: null (the default) for the library's own numerics, or another engine such as
    /// <c>TorchSharpTrainingEngine</c> (package Microsoft.ML.Vae.TorchSharp). The model that comes out is the same
    /// kind either way; the engine is not saved with it.
    /// </summary>
    public Training.IVaeTrainingEngine? TrainingEngine { get; init; }

    /// <summary>
    /// The input column of an <see cref="IDataView"/>: a known-size vector of <see cref="float"/> (build it with
    /// <c>Concatenate</c>, or <c>[VectorType(n)]</c> on a class property).
    /// </summary>
    public string FeatureColumnName { get; init; } = "Features";

    /// <summary>Output column of the latent means, a vector of <see cref="LatentDimension"/> floats (features for clustering).</summary>
    public string LatentMeanColumnName { get; init; } = "LatentMean";

    /// <summary>Output column of the latent log-variances, a vector of <see cref="LatentDimension"/> floats.</summary>
    public string LatentLogVarianceColumnName { get; init; } = "LatentLogVariance";

    /// <summary>Output column of the reconstruction in the original feature units, a vector as wide as the features.</summary>
    public string ReconstructionColumnName { get; init; } = "Reconstruction";

    /// <summary>Output column of the reconstruction error (<see cref="float"/>).</summary>
    public string ReconstructionErrorColumnName { get; init; } = "ReconstructionError";

    /// <summary>Output column of the anomaly score (<see cref="float"/>, higher is more anomalous), as ML.NET's anomaly detectors name it.</summary>
    public string ScoreColumnName { get; init; } = "Score";

    /// <summary>Output column of the predicted label (<see cref="bool"/>, true = anomaly), as ML.NET's anomaly detectors name it.</summary>
    public string PredictedLabelColumnName { get; init; } = "PredictedLabel";

    /// <summary>The six output column names, in the order of <see cref="MlNet.VaeOutput"/>.</summary>
    internal string[] OutputColumnNames =>
    [
        LatentMeanColumnName, LatentLogVarianceColumnName, ReconstructionColumnName, ReconstructionErrorColumnName,
        ScoreColumnName, PredictedLabelColumnName,
    ];

    /// <summary>
    /// Epochs that training on <paramref name="rowCount"/> rows runs over all networks of the ensemble, at most (the
    /// model's own network first, then each other one on its share of the rows); early stopping may end any sooner.
    /// </summary>
    internal int EnsembleEpochsFor(int rowCount) => EpochsFor(rowCount) + ((EnsembleSize - 1) * EnsembleNetworkEpochsFor(rowCount));

    /// <summary>
    /// Epochs the networks before network <paramref name="network"/> (1-based, as <see cref="VaeEpochReport.Network"/>
    /// counts them) run at most on <paramref name="rowCount"/> rows: where its epochs stand among the ensemble's.
    /// </summary>
    internal int EpochsBefore(int network, int rowCount) =>
        network == 1 ? 0 : EpochsFor(rowCount) + ((network - 2) * EnsembleNetworkEpochsFor(rowCount));

    /// <summary>Epochs each network of the ensemble besides the model's own runs at most, on its share of <paramref name="rowCount"/> rows.</summary>
    internal int EnsembleNetworkEpochsFor(int rowCount) => EpochsFor(Training.EnsembleSample.RowCount(rowCount, EnsembleSampleFraction));

    /// <summary>
    /// The epochs training runs on <paramref name="rowCount"/> rows: <see cref="Epochs"/>, or with <see cref="TrainingSteps"/>
    /// the epochs that make that many steps over the rows left after the validation split, at most <see cref="Epochs"/>.
    /// </summary>
    internal int EpochsFor(int rowCount)
    {
        if (TrainingSteps == 0)
        {
            return Epochs;
        }

        int trainingRows = rowCount - Training.VaeTrainer.ValidationCount(rowCount, ValidationFraction);
        int batches = Math.Max(1, (trainingRows + BatchSize - 1) / BatchSize);
        return (int)Math.Clamp(((long)TrainingSteps + batches - 1) / batches, 1, Epochs);
    }

    /// <summary>Most networks <see cref="EnsembleSize"/> allows.</summary>
    internal const int MaxEnsembleSize = 64;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid option.</summary>
    internal void Validate()
    {
        static void Fail(string option, string message) =>
            throw new ArgumentException($"VaeOptions.{option} {message}", option);

        if (LatentDimension < 1)
        {
            Fail(nameof(LatentDimension), $"must be at least 1 (was {LatentDimension}).");
        }

        if (HiddenLayers is null)
        {
            Fail(nameof(HiddenLayers), "must not be null (use an empty list for no hidden layers).");
        }

        for (int i = 0; i < HiddenLayers!.Count; i++)
        {
            if (HiddenLayers[i] <= 0)
            {
                Fail(nameof(HiddenLayers), $"entries must be positive (entry {i} was {HiddenLayers[i]}).");
            }
        }

        if (!Enum.IsDefined(ReconstructionLoss))
        {
            Fail(nameof(ReconstructionLoss), $"has an unknown value ({(int)ReconstructionLoss}).");
        }

        if (!Enum.IsDefined(Scaling))
        {
            Fail(nameof(Scaling), $"has an unknown value ({(int)Scaling}).");
        }

        if (ReconstructionLoss == ReconstructionLoss.BinaryCrossEntropy && Scaling == FeatureScaling.Standard)
        {
            Fail(nameof(Scaling), "Standard produces values outside [0, 1], which BinaryCrossEntropy cannot reconstruct; use MinMax scaling or SquaredError loss.");
        }

        if (Epochs < 1)
        {
            Fail(nameof(Epochs), $"must be at least 1 (was {Epochs}).");
        }

        if (TrainingSteps < 0)
        {
            Fail(nameof(TrainingSteps), $"must be >= 0 (0 = train for Epochs; was {TrainingSteps}).");
        }

        if (BatchSize < 1)
        {
            Fail(nameof(BatchSize), $"must be at least 1 (was {BatchSize}).");
        }

        if (!(LearningRate > 0) || !float.IsFinite(LearningRate))
        {
            Fail(nameof(LearningRate), $"must be a positive finite number (was {LearningRate}).");
        }

        if (!(Beta >= 0) || !float.IsFinite(Beta))
        {
            Fail(nameof(Beta), $"must be a finite number >= 0 (was {Beta}).");
        }

        if (KlWarmupEpochs < 0)
        {
            Fail(nameof(KlWarmupEpochs), $"must be >= 0 (was {KlWarmupEpochs}).");
        }

        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            Fail(nameof(ValidationFraction), $"must be in [0, 1) (was {ValidationFraction}).");
        }

        if (EarlyStoppingPatience < 0)
        {
            Fail(nameof(EarlyStoppingPatience), $"must be >= 0 (was {EarlyStoppingPatience}).");
        }

        if (EarlyStoppingPatience > 0 && ValidationFraction == 0)
        {
            Fail(nameof(EarlyStoppingPatience), "needs a validation split: set ValidationFraction above 0.");
        }

        if (!(GradientClipNorm >= 0) || !float.IsFinite(GradientClipNorm))
        {
            Fail(nameof(GradientClipNorm), $"must be a finite number >= 0 (was {GradientClipNorm}).");
        }

        if (!(TrimFraction >= 0 && TrimFraction < 0.5f))
        {
            Fail(nameof(TrimFraction), $"must be in [0, 0.5) (was {TrimFraction}).");
        }

        if (EnsembleSize is < 1 or > MaxEnsembleSize)
        {
            Fail(nameof(EnsembleSize), $"must be in [1, {MaxEnsembleSize}] (was {EnsembleSize}).");
        }

        if (!(EnsembleSampleFraction > 0 && EnsembleSampleFraction <= 1))
        {
            Fail(nameof(EnsembleSampleFraction), $"must be in (0, 1] (was {EnsembleSampleFraction}).");
        }

        if (!(InputNoise >= 0 && InputNoise < 1))
        {
            Fail(nameof(InputNoise), $"must be in [0, 1) (was {InputNoise}).");
        }

        if (!Enum.IsDefined(ScoreKind))
        {
            Fail(nameof(ScoreKind), $"has an unknown value ({(int)ScoreKind}).");
        }

        if (!(Contamination >= 0 && Contamination <= 0.5f))
        {
            Fail(nameof(Contamination), $"must be in [0, 0.5] (was {Contamination}).");
        }

        if (ThreadCount < 0)
        {
            Fail(nameof(ThreadCount), $"must be >= 0 (0 = all cores; was {ThreadCount}).");
        }

        ValidateColumnNames();
    }

    private void ValidateColumnNames()
    {
        string[] options =
        [
            nameof(FeatureColumnName), nameof(LatentMeanColumnName), nameof(LatentLogVarianceColumnName), nameof(ReconstructionColumnName),
            nameof(ReconstructionErrorColumnName), nameof(ScoreColumnName), nameof(PredictedLabelColumnName),
        ];
        string[] names = [FeatureColumnName, .. OutputColumnNames];
        for (int i = 0; i < names.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                throw new ArgumentException($"VaeOptions.{options[i]} must name a column (was {(names[i] is null ? "null" : $"'{names[i]}'")}).", options[i]);
            }

            // Output columns must differ from each other; one may reuse the feature column's name (it then hides it).
            for (int j = 1; j < i; j++)
            {
                if (names[i] == names[j])
                {
                    throw new ArgumentException($"VaeOptions.{options[i]} and {options[j]} both name the column '{names[i]}'; output columns need distinct names.", options[i]);
                }
            }
        }
    }
}
