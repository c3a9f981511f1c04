namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The trimmed loss behind <see cref="VaeOptions.TrimFraction"/>: between epochs, scores every training row (negative
/// ELBO at z = latent mean, under the current weights) and keeps for the next epoch all but the worst share. Rows that
/// look anomalous to the model are then not fitted, so anomalies hidden in the training data keep high scores.
/// Buffers are allocated once; each pass packs the current weights once.
/// </summary>
internal sealed class RowTrimming
{
    private readonly int[] _rows;
    private readonly float[] _losses;
    private readonly int[] _order;
    private readonly int _keep;
    private readonly NetworkLayout _layout;
    private readonly ScoringWorkspace _workspace;

    /// <param name="layout">The network trained.</param>
    /// <param name="trainingRows">Indices of the rows trained on (all of them: trimming always chooses among these).</param>
    /// <param name="fraction">Share of rows to leave out, in [0, 0.5).</param>
    public RowTrimming(NetworkLayout layout, ReadOnlySpan<int> trainingRows, float fraction)
    {
        _rows = trainingRows.ToArray();
        Array.Sort(_rows);
        _losses = new float[_rows.Length];
        _order = new int[_rows.Length];
        _keep = Math.Max(1, _rows.Length - (int)Math.Round(_rows.Length * (double)fraction));
        _layout = layout;
        _workspace = new ScoringWorkspace(layout);
    }

    /// <summary>Rows each epoch after the first trains on.</summary>
    public int KeptCount => _keep;

    /// <summary>
    /// Writes the indices of the rows to keep, in ascending order, into the first <see cref="KeptCount"/> entries of
    /// <paramref name="kept"/>: the rows of lowest loss, ties going to the lower index.
    /// </summary>
    public void Select(float[] parameters, ReadOnlySpan<float> scaled, Span<int> kept)
    {
        var network = new VaeNetwork(_layout, parameters);
        int f = _layout.FeatureCount, l = _layout.LatentDimension;
        ScoringWorkspace w = _workspace;
        for (int start = 0; start < _rows.Length; start += w.Rows)
        {
            int rows = Math.Min(w.Rows, _rows.Length - start);
            Span<float> x = w.Scaled.AsSpan(0, rows * f); // the rows gathered (Encode and Decode use other buffers)
            MiniBatch.Gather(scaled, f, _rows.AsSpan(start, rows), x);
            Span<float> mean = w.Mean.AsSpan(0, rows * l), logVariance = w.LogVariance.AsSpan(0, rows * l);
            Span<float> decoded = w.Reconstruction.AsSpan(0, rows * f);
            network.Encode(x, rows, mean, logVariance, w);
            network.Decode(mean, rows, decoded, w);
            RowScores.NegativeElbo(network, x, decoded, mean, logVariance, rows, _losses.AsSpan(start, rows), w.Difference);
        }

        for (int i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        float[] losses = _losses;
        Array.Sort(_order, (a, b) => losses[a] != losses[b] ? losses[a].CompareTo(losses[b]) : a.CompareTo(b));
        Span<int> chosen = _order.AsSpan(0, _keep);
        chosen.Sort();
        for (int i = 0; i < _keep; i++)
        {
            kept[i] = _rows[chosen[i]];
        }
    }
}
