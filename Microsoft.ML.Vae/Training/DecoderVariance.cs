namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The Gaussian decoder's per-feature variances, set in closed form: at the start, each scaled column's mean square
/// (the error of an untrained decoder, whose output is near 0); after every epoch, the mean squared reconstruction
/// error of that epoch's batches, the maximum-likelihood variance for the decoder's means ("optimal sigma",
/// Rybkin et al. 2021). Gradient steps on the log-variances moved them too slowly on small sets (about 1e-3 per step).
/// </summary>
internal sealed class DecoderVariance(int features)
{
    private readonly double[] _sums = new double[features];
    private long _rows;

    /// <summary>Sets the log-variances [F] to the log mean square of each scaled column.</summary>
    public static void Initialize(ReadOnlySpan<float> scaled, int rowCount, Span<float> logVariance)
    {
        int features = logVariance.Length;
        var sums = new double[features];
        for (int r = 0; r < rowCount; r++)
        {
            ReadOnlySpan<float> row = scaled.Slice(r * features, features);
            for (int j = 0; j < features; j++)
            {
                sums[j] += (double)row[j] * row[j];
            }
        }

        SetLogVariance(sums, rowCount, logVariance);
    }

    /// <summary>Adds one batch: per feature, the sum over its rows of the squared reconstruction error.</summary>
    public void Add(ReadOnlySpan<float> squaredErrors, int rows)
    {
        for (int j = 0; j < _sums.Length; j++)
        {
            _sums[j] += squaredErrors[j];
        }

        _rows += rows;
    }

    /// <summary>Sets the log-variances to the log mean squared error of the batches added since the last update.</summary>
    public void Update(Span<float> logVariance)
    {
        if (_rows > 0)
        {
            SetLogVariance(_sums, _rows, logVariance);
        }

        Array.Clear(_sums);
        _rows = 0;
    }

    private static void SetLogVariance(ReadOnlySpan<double> sums, long rows, Span<float> logVariance)
    {

        for (int j = 0; j < logVariance.Length; j++)
        {
            logVariance[j] = (float)Math.Max(Math.Log(sums[j] / rows), LossTerms.MinOutputLogVariance);
        }
    }
}
