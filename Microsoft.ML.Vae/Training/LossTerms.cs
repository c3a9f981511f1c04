using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The VAE's per-row loss terms with their gradients, fused: reconstruction (from logits), the
/// reparameterization z = mean + exp(0.5 logvar) * eps, and KL(q(z|x) || N(0, I)).
/// </summary>
internal static class LossTerms
{
    /// <summary>Rows per block of <see cref="Reconstruction"/>: the blocks a pool splits the loss into.</summary>
    public const int ReconstructionBlockRows = 16;

    /// <summary>
    /// Sum over rows and features of the reconstruction loss of targets <paramref name="x"/> given decoder
    /// <paramref name="logits"/> (pre-activation); writes dLoss/dlogits * <paramref name="gradScale"/> into
    /// <paramref name="dLogits"/> unless it is empty. BCE uses max(l,0) - l*x + log(1+exp(-|l|)), stable for any l,
    /// with the fused sigmoid gradient; squared error goes a row at a time through <paramref name="scratch"/>
    /// (<paramref name="features"/> values per block). The Gaussian decoder's loss, with its per-feature
    /// <paramref name="precision"/> exp(-log-variance) [F], is 0.5 * sum((l - x)^2 * precision - log(precision) + log(2 pi));
    /// with a gradient, <paramref name="squares"/> [F] receives the sum over rows of (l - x)^2, and the blocks need
    /// 2 * <paramref name="features"/> values of scratch each.
    /// </summary>
    /// <remarks>
    /// Rows go in blocks of <see cref="ReconstructionBlockRows"/> (split over <paramref name="pool"/> when given), each
    /// summed into its own slot of <paramref name="blockSums"/>, which are then added up: the sum has the same bits for
    /// any thread count. This pass was the largest serial part of a training step (0.23 ms of a 128-row
    /// batch of the seed model).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Reconstruction(
        ReconstructionLoss loss, ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale,
        int features, ReadOnlySpan<float> precision, Span<float> squares, Span<float> scratch, Span<double> blockSums, WorkerPool? pool)
    {
        int rows = logits.Length / features;
        int blocks = (rows + ReconstructionBlockRows - 1) / ReconstructionBlockRows;
        var body = new ReconstructionBlocks(loss, logits, x, dLogits, gradScale, features, precision, scratch, blockSums);
        WorkerPool.For(pool, blocks, ref body);
        double sum = TensorPrimitives.Sum<double>(blockSums[..blocks]);
        if (loss != ReconstructionLoss.Gaussian)
        {
            return sum;
        }

        if (!dLogits.IsEmpty)
        {
            // Summed block by block in a fixed order: the same bits for any thread count.
            squares.Clear();
            for (int b = 0; b < blocks; b++)
            {
                TensorPrimitives.Add(squares, scratch.Slice((b * 2 * features) + features, features), squares);
            }
        }

        return (0.5 * sum) + (0.5 * GaussianLogNormalizer(precision[..features]) * rows);
    }

    private readonly ref struct ReconstructionBlocks(
        ReconstructionLoss loss, ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale,
        int features, ReadOnlySpan<float> precision, Span<float> scratch, Span<double> blockSums) : IWorkerPoolBody
    {
        private readonly ReadOnlySpan<float> _logits = logits;
        private readonly ReadOnlySpan<float> _precision = precision;
        private readonly Span<float> _scratch = scratch;
        private readonly ReadOnlySpan<float> _x = x;
        private readonly Span<float> _dLogits = dLogits;
        private readonly Span<double> _blockSums = blockSums;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index, int worker)
        {
            int start = index * ReconstructionBlockRows * features;
            int length = Math.Min(ReconstructionBlockRows * features, _logits.Length - start);
            ReadOnlySpan<float> logits = _logits.Slice(start, length), x = _x.Slice(start, length);
            Span<float> dLogits = _dLogits.IsEmpty ? default : _dLogits.Slice(start, length);
            _blockSums[index] = loss switch
            {
                ReconstructionLoss.BinaryCrossEntropy => VectorMath.BinaryCrossEntropy(logits, x, dLogits, gradScale),
                ReconstructionLoss.Gaussian => WeightedSquaredError(
                    logits, x, dLogits, gradScale, _precision, _scratch.Slice(index * 2 * features, features),
                    dLogits.IsEmpty ? default : _scratch.Slice((index * 2 * features) + features, features)),
                _ => SquaredError(logits, x, dLogits, gradScale, _scratch.Slice(index * features, features)),
            };
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double SquaredError(ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale, Span<float> difference)
    {
        double sum = 0;
        int features = difference.Length;
        for (int start = 0; start < logits.Length; start += features)
        {
            TensorPrimitives.Subtract(logits.Slice(start, features), x.Slice(start, features), difference);
            sum += TensorPrimitives.SumOfSquares(difference);
            if (!dLogits.IsEmpty)
            {
                TensorPrimitives.Multiply(difference, 2f * gradScale, dLogits.Slice(start, features));
            }
        }

        return sum;
    }

    /// <summary>
    /// Sum of (l - x)^2 * precision over the rows; unless <paramref name="dLogits"/> is empty, the gradient of half that
    /// sum, (l - x) * precision * gradScale, and per feature the sum over rows of (l - x)^2 into <paramref name="squares"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double WeightedSquaredError(
        ReadOnlySpan<float> logits, ReadOnlySpan<float> x, Span<float> dLogits, float gradScale, ReadOnlySpan<float> precision,
        Span<float> difference, Span<float> squares)
    {
        double sum = 0;
        int features = difference.Length;
        squares.Clear();
        for (int start = 0; start < logits.Length; start += features)
        {
            TensorPrimitives.Subtract(logits.Slice(start, features), x.Slice(start, features), difference);
            if (dLogits.IsEmpty)
            {
                TensorPrimitives.Multiply(difference, difference, difference);
                sum += TensorPrimitives.Dot(difference, precision);
                continue;
            }

            Span<float> gradient = dLogits.Slice(start, features);
            TensorPrimitives.Multiply(difference, precision, gradient);
            sum += TensorPrimitives.Dot(difference, gradient);
            TensorPrimitives.Multiply(gradient, gradScale, gradient);
            TensorPrimitives.MultiplyAdd(difference, difference, squares, squares);
        }

        return sum;
    }

    /// <summary>
    /// Smallest log-variance the Gaussian decoder uses (variance 1e-4 in scaled units): a feature it reconstructs
    /// almost exactly (a constant or derived column) would otherwise drive its variance to 0 and its weight to infinity.
    /// </summary>
    public const float MinOutputLogVariance = -9.2103404f;

    /// <summary>precision = exp(-max(logVariance, <see cref="MinOutputLogVariance"/>)) per feature.</summary>
    public static void GaussianPrecision(ReadOnlySpan<float> logVariance, Span<float> precision)
    {
        for (int j = 0; j < logVariance.Length; j++)
        {
            precision[j] = MathF.Exp(-Math.Max(logVariance[j], MinOutputLogVariance));
        }
    }

    /// <summary>sum over features of log(2 pi) - log(precision): twice the Gaussian decoder's per-row normalising term.</summary>
    public static double GaussianLogNormalizer(ReadOnlySpan<float> precision)
    {
        double constant = 0;
        foreach (float p in precision)
        {
            constant += Math.Log(2 * Math.PI) - Math.Log(p);
        }

        return constant;
    }

    /// <summary>z = mean + exp(0.5 logvar) * eps, elementwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Reparameterize(ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance, ReadOnlySpan<float> eps, Span<float> z)
    {
        for (int i = 0; i < z.Length; i++)
        {
            z[i] = mean[i] + (MathF.Exp(0.5f * logVariance[i]) * eps[i]);
        }
    }

    /// <summary>Sum over rows of KL(N(mean, exp(logvar)) || N(0, I)) = -0.5 * sum(1 + logvar - mean^2 - exp(logvar)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Kl(ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance)
    {
        double sum = 0;
        for (int i = 0; i < mean.Length; i++)
        {
            float lv = logVariance[i];
            sum += -0.5 * (1.0 + lv - ((double)mean[i] * mean[i]) - Math.Exp(lv));
        }

        return sum;
    }

    /// <summary>
    /// Backward through the reparameterization and the KL term: from dLoss/dz (<paramref name="dz"/>) gives
    /// dmean = dz + w*mean*s and dlogvar = dz*eps*0.5*exp(0.5 logvar) + w*0.5*(exp(logvar) - 1)*s,
    /// where w is the KL weight and s the per-row gradient scale (1/rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReparameterizeKlBackward(
        ReadOnlySpan<float> mean, ReadOnlySpan<float> logVariance, ReadOnlySpan<float> eps, ReadOnlySpan<float> dz,
        float klWeight, float gradScale, Span<float> dMean, Span<float> dLogVariance)
    {
        float w = klWeight * gradScale;
        for (int i = 0; i < mean.Length; i++)
        {
            float lv = logVariance[i];
            float std = MathF.Exp(0.5f * lv);
            dMean[i] = dz[i] + (w * mean[i]);
            dLogVariance[i] = (dz[i] * eps[i] * 0.5f * std) + (w * 0.5f * ((std * std) - 1f));
        }
    }

    /// <summary>Mean over features of the squared difference, per row: the reconstruction error column.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MeanSquaredError(ReadOnlySpan<float> x, ReadOnlySpan<float> reconstruction, int rows, int features, Span<float> errors)
    {
        for (int r = 0; r < rows; r++)
        {
            float distance = TensorPrimitives.Distance(x.Slice(r * features, features), reconstruction.Slice(r * features, features));
            errors[r] = distance * distance / features;
        }
    }
}
