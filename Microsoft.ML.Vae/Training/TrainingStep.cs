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
    }

    public int MaxRows { get; }

    /// <summary>
    /// Computes the batch loss for targets <paramref name="x"/> [rows, F] with noise <paramref name="eps"/> [rows, L]
    /// and, unless <paramref name="gradients"/> is empty, writes dLoss/dParameters into it (overwriting).
    /// </summary>
    public BatchLoss Run(
        ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, int rows, ReadOnlySpan<float> eps, float klWeight, Span<float> gradients)
    {
        int latent = _layout.LatentDimension;
        int features = _layout.FeatureCount;
        int latentSize = rows * latent;

        // Forward: encoder.
        ReadOnlySpan<float> input = x;
        for (int i = 0; i < _layout.Encoder.Count; i++)
        {
            DenseLayer layer = _layout.Encoder[i];
            Span<float> output = _encoderOut[i].AsSpan(0, rows * layer.Outputs);
            DenseOps.Forward(layer, parameters, input, output, rows, Activation.Relu, _pool);
            input = output;
        }

        ReadOnlySpan<float> encoded = input;
        Span<float> mean = _mean.AsSpan(0, latentSize);
        Span<float> logVariance = _logVariance.AsSpan(0, latentSize);
        DenseOps.Forward(_layout.MeanHead, parameters, encoded, mean, rows, Activation.Identity, _pool);
        DenseOps.Forward(_layout.LogVarianceHead, parameters, encoded, logVariance, rows, Activation.Identity, _pool);

        Span<float> z = _z.AsSpan(0, latentSize);
        LossTerms.Reparameterize(mean, logVariance, eps[..latentSize], z);

        // Forward: decoder; the output layer stays as logits (the loss applies the sigmoid stably).
        input = z;
        IReadOnlyList<DenseLayer> decoder = _layout.Decoder;
        for (int i = 0; i < decoder.Count - 1; i++)
        {
            Span<float> output = _decoderOut[i].AsSpan(0, rows * decoder[i].Outputs);
            DenseOps.Forward(decoder[i], parameters, input, output, rows, Activation.Relu, _pool);
            input = output;
        }

        Span<float> logits = _logits.AsSpan(0, rows * features);
        DenseOps.Forward(decoder[^1], parameters, input, logits, rows, Activation.Identity, _pool);

        float gradScale = 1f / rows;
        bool backward = !gradients.IsEmpty;
        Span<float> dUpper = backward ? _gradA.AsSpan(0, rows * features) : default;
        double reconstruction = LossTerms.Reconstruction(
            _layout.Loss, logits, x[..(rows * features)], dUpper, gradScale, features, _gradB, _lossBlockSums, _pool);
        double kl = LossTerms.Kl(mean, logVariance);
        var loss = new BatchLoss((reconstruction + (klWeight * kl)) / rows, reconstruction / rows, kl / rows);
        if (!backward)
        {
            return loss;
        }

        // Backward: decoder, output layer first. dUpper holds dLoss/d(pre-activation) of the current layer.
        bool upperIsA = true;
        for (int i = decoder.Count - 1; i >= 0; i--)
        {
            DenseLayer layer = decoder[i];
            ReadOnlySpan<float> layerInput = i == 0 ? z : _decoderOut[i - 1].AsSpan(0, rows * layer.Inputs);
            Span<float> dInput = (upperIsA ? _gradB : _gradA).AsSpan(0, rows * layer.Inputs);
            DenseOps.Backward(layer, parameters, gradients, layerInput, dUpper, dInput, rows, accumulateDx: false, inputIsRelu: i > 0, _pool);

            dUpper = dInput;
            upperIsA = !upperIsA;
        }

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

        dUpper = dEncoded;
        upperIsA = !upperIsA;
        for (int i = _layout.Encoder.Count - 1; i >= 0; i--)
        {
            DenseLayer layer = _layout.Encoder[i];
            ReadOnlySpan<float> layerInput = i == 0 ? x : _encoderOut[i - 1].AsSpan(0, rows * layer.Inputs);
            Span<float> dInput = i == 0 ? default : (upperIsA ? _gradB : _gradA).AsSpan(0, rows * layer.Inputs);
            DenseOps.Backward(layer, parameters, gradients, layerInput, dUpper, dInput, rows, accumulateDx: false, inputIsRelu: i > 0, _pool);

            dUpper = dInput;
            upperIsA = !upperIsA;
        }

        return loss;
    }
}
