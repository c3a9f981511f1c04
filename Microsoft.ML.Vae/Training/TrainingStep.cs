using System.Runtime.CompilerServices;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>The mean per-row loss of a batch and its parts.</summary>
internal readonly record struct BatchLoss(double Total, double Reconstruction, double Kl);

/// <summary>
/// One batch's forward and backward pass through the VAE, with every activation buffer allocated once.
/// Shapes (B rows, F features, L latent, H_i hidden widths):
/// x [B,F] -> encoder activations [B,H_i] -> mean, logvar [B,L] -> z = mean + exp(0.5 logvar) * eps [B,L]
/// -> decoder activations [B,H_i] -> logits [B,F]; loss = mean over rows of reconstruction + klWeight * KL.
/// </summary>
internal sealed class TrainingStep
{
    private readonly NetworkLayout _layout;
    private readonly WorkerPool? _pool;
    private readonly float[][] _encoderOut;
    private readonly float[][] _decoderOut;
    private readonly float[] _mean;
    private readonly float[] _logVariance;
    private readonly float[] _z;
    private readonly float[] _logits;
    private readonly float[] _gradA;
    private readonly float[] _gradB;
    private readonly float[] _dMean;
    private readonly float[] _dLogVariance;
    private readonly double[] _lossBlockSums;
    private readonly float[] _lossScratch;
    private readonly float[] _precision;
    private readonly float[] _squares;

    public TrainingStep(NetworkLayout layout, int maxRows, WorkerPool? pool)
    {
        _layout = layout;
        _pool = pool;
        MaxRows = maxRows;
        _encoderOut = layout.Encoder.Select(l => new float[maxRows * l.Outputs]).ToArray();
        _decoderOut = layout.Decoder.Take(layout.Decoder.Count - 1).Select(l => new float[maxRows * l.Outputs]).ToArray();
        _mean = new float[maxRows * layout.LatentDimension];
        _logVariance = new float[maxRows * layout.LatentDimension];
        _z = new float[maxRows * layout.LatentDimension];
        _logits = new float[maxRows * layout.FeatureCount];
        _gradA = new float[maxRows * layout.MaxWidth];
        _gradB = new float[maxRows * layout.MaxWidth];
        _dMean = new float[maxRows * layout.LatentDimension];
        _dLogVariance = new float[maxRows * layout.LatentDimension];
        _lossBlockSums = new double[(maxRows + LossTerms.ReconstructionBlockRows - 1) / LossTerms.ReconstructionBlockRows];
        bool gaussian = layout.Loss == ReconstructionLoss.Gaussian;
        _lossScratch = gaussian ? new float[_lossBlockSums.Length * 2 * layout.FeatureCount] : [];
        _precision = gaussian ? new float[layout.FeatureCount] : [];
        _squares = gaussian ? new float[layout.FeatureCount] : [];
    }

    public int MaxRows { get; }

    /// <summary>
    /// For the Gaussian decoder, after a step with gradients: per feature, the sum over the batch's rows of the squared
    /// reconstruction error [F], from which the trainer sets the decoder's variances.
    /// </summary>
    public ReadOnlySpan<float> SquaredErrors => _squares;

    /// <summary>
    /// Computes the batch loss for targets <paramref name="x"/> [rows, F] with noise <paramref name="eps"/> [rows, L]
    /// and, unless <paramref name="gradients"/> is empty, writes dLoss/dParameters into it (overwriting).
    /// </summary>
    public BatchLoss Run(
        ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> eps, float klWeight, Span<float> gradients)
        => Run(parameters, x, x, rows, eps, klWeight, gradients);

    /// <summary>
    /// As <see cref="Run(ReadOnlySpan{float}, ReadOnlySpan{float}, int, ReadOnlySpan{float}, float, Span{float})"/>, with the
    /// encoder reading <paramref name="input"/> (a corrupted copy of the targets, for denoising) and the loss comparing
    /// the reconstruction with <paramref name="x"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public BatchLoss Run(
        ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> eps, float klWeight,
        Span<float> gradients)
    {
        int latent = _layout.LatentDimension;
        int features = _layout.FeatureCount;
        int latentSize = rows * latent;

        // Forward: encoder.
        ReadOnlySpan<float> encoded = DenseOps.ForwardLayers(_layout.Encoder, _layout.Encoder.Count, parameters, input, rows, _encoderOut, _pool);
        Span<float> mean = _mean.AsSpan(0, latentSize);
        Span<float> logVariance = _logVariance.AsSpan(0, latentSize);
        DenseOps.Forward(_layout.MeanHead, parameters, encoded, mean, rows, Activation.Identity, _pool);
        DenseOps.Forward(_layout.LogVarianceHead, parameters, encoded, logVariance, rows, Activation.Identity, _pool);

        Span<float> z = _z.AsSpan(0, latentSize);
        LossTerms.Reparameterize(mean, logVariance, eps[..latentSize], z);

        // Forward: decoder; the output layer stays as logits (the loss applies the sigmoid stably).
        IReadOnlyList<DenseLayer> decoder = _layout.Decoder;
        ReadOnlySpan<float> decoded = DenseOps.ForwardLayers(decoder, decoder.Count - 1, parameters, z, rows, _decoderOut, _pool);
        Span<float> logits = _logits.AsSpan(0, rows * features);
        DenseOps.Forward(decoder[^1], parameters, decoded, logits, rows, Activation.Identity, _pool);

        float gradScale = 1f / rows;
        bool backward = !gradients.IsEmpty;
        Span<float> dUpper = backward ? _gradA.AsSpan(0, rows * features) : default;
        bool gaussian = _layout.Loss == ReconstructionLoss.Gaussian;
        if (gaussian)
        {
            LossTerms.GaussianPrecision(parameters.Slice(_layout.OutputLogVarianceOffset, features), _precision);
        }

        double reconstruction = LossTerms.Reconstruction(
            _layout.Loss, logits, x[..(rows * features)], dUpper, gradScale, features, _precision, _squares,
            gaussian ? _lossScratch : _gradB, _lossBlockSums, _pool);
        double kl = LossTerms.Kl(mean, logVariance);
        var loss = new BatchLoss((reconstruction + (klWeight * kl)) / rows, reconstruction / rows, kl / rows);
        if (!backward)
        {
            return loss;
        }

        if (gaussian)
        {
            // The variances are set in closed form between epochs, not by the optimizer.
            gradients.Slice(_layout.OutputLogVarianceOffset, features).Clear();
        }

        // Backward: decoder, output layer first. dUpper holds dLoss/d(pre-activation) of the current layer.
        bool upperIsA = true;
        dUpper = BackwardLayers(decoder, _decoderOut, z, dUpper, ref upperIsA, inputGradient: true, parameters, gradients, rows);

        // dUpper is now dLoss/dz.
        Span<float> dMean = _dMean.AsSpan(0, latentSize);
        Span<float> dLogVariance = _dLogVariance.AsSpan(0, latentSize);
        LossTerms.ReparameterizeKlBackward(mean, logVariance, eps, dUpper, klWeight, gradScale, dMean, dLogVariance);

        // Heads: both read the last encoder output, so their input gradients add up.
        int encodedWidth = _layout.MeanHead.Inputs;
        Span<float> dEncoded = (upperIsA ? _gradB : _gradA).AsSpan(0, rows * encodedWidth);
        bool hasEncoder = _layout.Encoder.Count > 0;
        DenseOps.Backward(
            _layout.MeanHead, parameters, gradients, encoded, dMean, hasEncoder ? dEncoded : default, rows, accumulateDx: false, inputIsRelu: false, _pool);
        DenseOps.Backward(
            _layout.LogVarianceHead, parameters, gradients, encoded, dLogVariance, hasEncoder ? dEncoded : default, rows, accumulateDx: true,
            inputIsRelu: hasEncoder, _pool);
        if (!hasEncoder)
        {
            return loss;
        }

        upperIsA = !upperIsA;
        BackwardLayers(_layout.Encoder, _encoderOut, input, dEncoded, ref upperIsA, inputGradient: false, parameters, gradients, rows);
        return loss;
    }

    /// <summary>
    /// Backward through <paramref name="layers"/>, top first, given dUpper = dLoss/d(pre-activation) of the top layer,
    /// held in <c>_gradA</c> when <paramref name="upperIsA"/> (else <c>_gradB</c>); layer i's input gradient goes into
    /// the other buffer, and <paramref name="upperIsA"/> follows. Layer 0 reads <paramref name="input"/>, layer i the
    /// stored output of layer i-1 (a ReLU, whose mask the input gradient takes). Returns dLoss/d(input), or empty
    /// without <paramref name="inputGradient"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Span<float> BackwardLayers(
        IReadOnlyList<DenseLayer> layers, float[][] outputs, ReadOnlySpan<float> input, Span<float> dUpper, scoped ref bool upperIsA,
        bool inputGradient, ReadOnlySpan<float> parameters, Span<float> gradients, int rows)
    {
        for (int i = layers.Count - 1; i >= 0; i--)
        {
            DenseLayer layer = layers[i];
            ReadOnlySpan<float> layerInput = i == 0 ? input : outputs[i - 1].AsSpan(0, rows * layer.Inputs);
            Span<float> dInput = i == 0 && !inputGradient ? default : (upperIsA ? _gradB : _gradA).AsSpan(0, rows * layer.Inputs);
            DenseOps.Backward(layer, parameters, gradients, layerInput, dUpper, dInput, rows, accumulateDx: false, inputIsRelu: i > 0, _pool);
            dUpper = dInput;
            upperIsA = !upperIsA;
        }

        return dUpper;
    }
}
