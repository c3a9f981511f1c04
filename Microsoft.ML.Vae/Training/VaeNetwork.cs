using System.Runtime.CompilerServices;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The network's layout and its flat parameter buffer (each layer's weights, then its bias, in layout order),
/// with the deterministic scoring pass (z = latent mean) that the transformer, the model file and the
/// ONNX export share.
/// </summary>
internal sealed class VaeNetwork
{
    public VaeNetwork(NetworkLayout layout, float[] parameters)
    {
        if (parameters.Length != layout.ParameterCount)
        {
            throw new ArgumentException($"The layout needs {layout.ParameterCount} parameters but {parameters.Length} were given.", nameof(parameters));
        }

        Layout = layout;
        Parameters = parameters;
    }

    public NetworkLayout Layout { get; }

    /// <summary>The flat parameter buffer; never mutated once the network is handed to a transformer.</summary>
    public float[] Parameters { get; }

    /// <summary>
    /// Each layer's weights packed for the scoring products, in <see cref="NetworkLayout.AllLayers"/> order (null where
    /// a layer's product does not use packed panels). Built on first use: the parameters are final by then.
    /// </summary>
    private GemmPackedB?[] PackedWeights => Volatile.Read(ref _packedWeights) ?? PackWeights();

    private GemmPackedB?[]? _packedWeights;

    private GemmPackedB?[] PackWeights()
    {
        GemmPackedB?[] packed = [.. Layout.AllLayers.Select(l => GemmPackedB.Create(Parameters.AsSpan(l.WeightOffset, l.WeightCount), l.Inputs, l.Outputs))];
        return Interlocked.CompareExchange(ref _packedWeights, packed, null) ?? packed;
    }

    /// <summary>
    /// The Gaussian decoder's per-feature precision exp(-max(log-variance, floor)) [F]; empty for the other losses.
    /// Computed on first use, like <see cref="PackedWeights"/>.
    /// </summary>
    public float[] OutputPrecision => (Volatile.Read(ref _gaussianOutput) ?? ComputeGaussianOutput()).Precision;

    /// <summary>0.5 * sum over features of (log 2 pi - log precision): the constant of the Gaussian decoder's negative log-likelihood.</summary>
    public float OutputLogNormalizer => (Volatile.Read(ref _gaussianOutput) ?? ComputeGaussianOutput()).LogNormalizer;

    private GaussianOutput? _gaussianOutput;

    private sealed record GaussianOutput(float[] Precision, float LogNormalizer);

    private GaussianOutput ComputeGaussianOutput()
    {
        var output = new GaussianOutput([], 0f);
        if (Layout.Loss == ReconstructionLoss.Gaussian)
        {
            var precision = new float[Layout.FeatureCount];
            LossTerms.GaussianPrecision(Parameters.AsSpan(Layout.OutputLogVarianceOffset, Layout.FeatureCount), precision);
            output = new GaussianOutput(precision, (float)(0.5 * LossTerms.GaussianLogNormalizer(precision)));
        }

        return Interlocked.CompareExchange(ref _gaussianOutput, output, null) ?? output;
    }

    /// <summary>
    /// Glorot (Xavier) uniform weights and zero biases, as Keras' Dense layer initializes them
    /// (the seed architecture comes from a Keras textbook chapter).
    /// </summary>
    public static VaeNetwork CreateInitialized(NetworkLayout layout, DeterministicRandom random)
    {
        var parameters = new float[layout.ParameterCount];
        foreach (DenseLayer layer in layout.AllLayers)
        {
            double limit = Math.Sqrt(6.0 / (layer.Inputs + layer.Outputs));
            Span<float> weights = parameters.AsSpan(layer.WeightOffset, layer.WeightCount);
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * limit);
            }
        }

        return new VaeNetwork(layout, parameters);
    }

    /// <summary>Encoder pass: scaled rows [rows, F] to latent mean and log-variance [rows, L].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Encode(ReadOnlySpan<float> scaled, int rows, Span<float> mean, Span<float> logVariance, ScoringWorkspace workspace)
    {
        GemmPackedB?[] packed = PackedWeights;
        int hidden = Layout.Encoder.Count;
        ReadOnlySpan<float> input = DenseOps.ForwardLayers(Layout.Encoder, hidden, Parameters, scaled, rows, workspace.Hidden, pool: null, packed);
        DenseOps.Forward(Layout.MeanHead, Parameters, input, mean, rows, Activation.Identity, pool: null, packed[hidden]);
        DenseOps.Forward(Layout.LogVarianceHead, Parameters, input, logVariance, rows, Activation.Identity, pool: null, packed[hidden + 1]);
    }

    /// <summary>Decoder pass: latent rows [rows, L] to the scaled reconstruction [rows, F] (after the output activation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Decode(ReadOnlySpan<float> latent, int rows, Span<float> reconstruction, ScoringWorkspace workspace)
    {
        GemmPackedB?[] packed = PackedWeights;
        int first = Layout.Encoder.Count + 2; // decoder layers follow the encoder and the two heads in AllLayers
        IReadOnlyList<DenseLayer> decoder = Layout.Decoder;
        ReadOnlySpan<float> input = DenseOps.ForwardLayers(decoder, decoder.Count - 1, Parameters, latent, rows, workspace.Hidden, pool: null, packed, first);
        DenseLayer last = decoder[^1];
        DenseOps.Forward(last, Parameters, input, reconstruction, rows, last.Activation, pool: null, packed[^1]);
    }
}
