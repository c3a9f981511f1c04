using Microsoft.ML.Vae;

namespace Microsoft.ML;

/// <summary>The <c>mlContext.Transforms.Vae(...)</c> extensions: a variational autoencoder in an ML.NET pipeline.</summary>
public static class VaeCatalog
{
    /// <summary>
    /// A VAE estimator with every setting in <paramref name="options"/>. Fitted, it adds the columns <c>LatentMean</c>,
    /// <c>LatentLogVariance</c>, <c>Reconstruction</c>, <c>ReconstructionError</c>, <c>Score</c> and <c>PredictedLabel</c>
    /// (names from the options).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="options">Every setting of the estimator.</param>
    /// <param name="progress">Receives a report after every epoch when the pipeline is fitted.</param>
    /// <param name="cancellationToken">Stops fitting (checked before every batch).</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public static VaeEstimator Vae(
        this TransformsCatalog catalog, VaeOptions options, IProgress<VaeEpochReport>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new VaeEstimator(options, progress, cancellationToken);
    }

    /// <summary>A VAE estimator with the common settings; every other option keeps its <see cref="VaeOptions"/> default.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="featureColumnName">The input column: a known-size vector of Single.</param>
    /// <param name="latentDimension">Width of the latent space.</param>
    /// <param name="hiddenLayers">Encoder widths (the decoder mirrors them); null keeps [512, 256].</param>
    /// <param name="epochs">Passes over the training rows.</param>
    /// <param name="reconstructionLoss">Binary cross-entropy for [0, 1] data such as pixels; squared error for other data.</param>
    /// <param name="scaling">Feature scaling fitted on the training rows.</param>
    /// <param name="contamination">Share of training rows above the anomaly threshold.</param>
    /// <param name="seed">Seed of initialization and shuffling.</param>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it).</exception>
    public static VaeEstimator Vae(
        this TransformsCatalog catalog,
        string featureColumnName = "Features",
        int latentDimension = 2,
        int[]? hiddenLayers = null,
        int epochs = 30,
        ReconstructionLoss reconstructionLoss = ReconstructionLoss.BinaryCrossEntropy,
        FeatureScaling scaling = FeatureScaling.MinMax,
        float contamination = 0.01f,
        int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var defaults = new VaeOptions();
        return new VaeEstimator(defaults with
        {
            FeatureColumnName = featureColumnName,
            LatentDimension = latentDimension,
            HiddenLayers = hiddenLayers ?? defaults.HiddenLayers,
            Epochs = epochs,
            ReconstructionLoss = reconstructionLoss,
            Scaling = scaling,
            Contamination = contamination,
            Seed = seed,
        });
    }
}
