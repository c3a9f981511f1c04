using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.ML.Data;
using Microsoft.ML.Vae.Data;
using Microsoft.ML.Vae.MlNet;
using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Onnx;
using Microsoft.ML.Vae.Serialization;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae;

/// <summary>
/// A trained VAE: scores rows (latent mean and log-variance, reconstruction, reconstruction error, anomaly score and
/// label), encodes, decodes, denoises and samples. Immutable and safe to use from many threads at once.
/// </summary>
/// <remarks>
/// As an ML.NET <see cref="ITransformer"/>, <see cref="Transform(IDataView)"/> adds six columns to the input (names from
/// <see cref="VaeOptions"/>): <c>LatentMean</c> and <c>LatentLogVariance</c> (<c>Vector&lt;Single, L&gt;</c>),
/// <c>Reconstruction</c> (<c>Vector&lt;Single, F&gt;</c>), <c>ReconstructionError</c> and <c>Score</c> (<c>Single</c>) and
/// <c>PredictedLabel</c> (<c>Boolean</c>). The array and span methods are the fastest path without ML.NET.
/// </remarks>
public sealed class VaeTransformer : ITransformer
{
    [ThreadStatic]
    private static ScoringWorkspace? t_workspace;

    internal VaeTransformer(
        VaeOptions options, VaeNetwork network, FeatureScaler scaler, float threshold, VaeTrainingSummary summary,
        IReadOnlyList<string>? featureNames, IReadOnlyList<VaeNetwork>? ensembleNetworks = null)
    {
        Options = options;
        Network = network;
        EnsembleNetworks = ensembleNetworks ?? [];
        Scaler = scaler;
        Threshold = threshold;
        TrainingSummary = summary;
        FeatureNames = featureNames;
    }

    /// <summary>The options the model was trained with.</summary>
    public VaeOptions Options { get; }

    /// <summary>Number of input features per row.</summary>
    public int FeatureCount => Network.Layout.FeatureCount;

    /// <summary>Width of the latent space.</summary>
    public int LatentDimension => Network.Layout.LatentDimension;

    /// <summary>Rows whose <see cref="VaePrediction.Score"/> is above this value are predicted anomalies.</summary>
    public float Threshold { get; }

    /// <summary>Names of the feature columns, when training knew them.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>What training did (epochs, losses per epoch).</summary>
    public VaeTrainingSummary TrainingSummary { get; }

    internal VaeNetwork Network { get; }

    /// <summary>
    /// The networks besides <see cref="Network"/> whose scores the score column averages (<see cref="VaeOptions.EnsembleSize"/>
    /// minus one; empty for a single network). Same layout as <see cref="Network"/>.
    /// </summary>
    internal IReadOnlyList<VaeNetwork> EnsembleNetworks { get; }

    internal FeatureScaler Scaler { get; }

    internal VaeTransformer WithThreshold(float threshold) =>
        new(Options, Network, Scaler, threshold, TrainingSummary, FeatureNames, EnsembleNetworks);

    /// <summary>Scores each row.</summary>
    /// <exception cref="ArgumentException">A row is null, has the wrong width, or holds NaN or infinity (the message names it).</exception>
    public VaePrediction[] Transform(float[][] rows)
    {
        FeatureMatrix matrix = ToMatrix(rows);
        var outputs = new PredictionBuffers(matrix.RowCount, FeatureCount, LatentDimension);
        Score(
            matrix.Values.Span, featuresChecked: true, outputs.LatentMean, outputs.LatentLogVariance, outputs.Reconstruction,
            outputs.ReconstructionError, outputs.Score, outputs.PredictedLabel);
        return outputs.ToPredictions();
    }

    /// <summary>
    /// The batch scoring path: scores the row-major rows in <paramref name="features"/> ([n, FeatureCount]) into
    /// caller-owned buffers, allocating nothing once the calling thread has scored before. Outputs are row-major;
    /// pass an empty span to skip an output.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong sizes, or a NaN or infinite value (the message names its row and column).</exception>
    public void Transform(
        ReadOnlySpan<float> features, Span<float> latentMean, Span<float> latentLogVariance, Span<float> reconstruction,
        Span<float> reconstructionError, Span<float> score, Span<bool> predictedLabel)
        => Score(features, featuresChecked: false, latentMean, latentLogVariance, reconstruction, reconstructionError, score, predictedLabel);

    /// <summary>
    /// <see cref="Transform(ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{bool})"/>;
    /// with <paramref name="featuresChecked"/> the caller has checked that the features are finite; with
    /// <paramref name="onCallingThread"/> the rows are scored on the calling thread alone (callers that already score
    /// on every core, one batch per thread, gain nothing from the pool but its threads' spinning).
    /// </summary>
    internal void Score(
        ReadOnlySpan<float> features, bool featuresChecked, Span<float> latentMean, Span<float> latentLogVariance,
        Span<float> reconstruction, Span<float> reconstructionError, Span<float> score, Span<bool> predictedLabel,
        bool onCallingThread = false)
    {
        int f = FeatureCount, l = LatentDimension;
        int n = BatchArguments.Scoring(
            features, f, l, ref latentMean, ref latentLogVariance, ref reconstruction, ref reconstructionError, ref score, ref predictedLabel,
            deferFiniteCheck: true);
        int chunkRows = ScoringChunkRows(n, ScoringThreads);
        int chunkCount = (n + chunkRows - 1) / chunkRows;
        WorkerPool? pool = chunkCount > 1 && !onCallingThread ? ScoringPool : null;

        // Every row is checked before any output is written (on the pool: the serial pass was a few % of scoring).
        if (!featuresChecked)
        {
            FeatureMatrix.ThrowIfNotFinite(features, f, nameof(features), pool);
        }

        var chunks = new ScoringChunks(
            this, chunkRows, features, latentMean, latentLogVariance, reconstruction, reconstructionError, score, predictedLabel);

        // The caller's own workspace exists after its first call, whether this call runs on the pool or inline
        // (it does when another thread holds the pool), so steady-state scoring never allocates on this thread.
        _ = GetWorkspace();

        // Chunks are independent and each row is computed the same way in any chunk on any thread, so parallel scoring
        // returns the same bits as serial scoring. A concurrent caller finds the pool busy and runs inline.
        WorkerPool.For(pool, chunkCount, ref chunks);
    }

    /// <summary>
    /// Rows per scoring chunk: at most <see cref="ScoringWorkspace.DefaultRows"/>, in a number of chunks that is a
    /// multiple of <paramref name="threads"/> (while chunks keep at least <see cref="MinChunkRows"/> rows), all about
    /// equally long, so no thread is left with a short tail while another scores a full chunk (a 784-row batch was 256,
    /// 256, 256 and 16 rows with 256-row chunks, and one of two threads scored twice as many rows as the other).
    /// </summary>
    internal static int ScoringChunkRows(int rows, int threads)
    {
        int chunks = Math.Max(1, (rows + ScoringWorkspace.DefaultRows - 1) / ScoringWorkspace.DefaultRows);
        int balanced = (chunks + threads - 1) / threads * threads;
        chunks = Math.Max(chunks, Math.Min(balanced, rows / MinChunkRows));
        return Math.Max(1, (rows + chunks - 1) / chunks);
    }

    /// <summary>Fewest rows a chunk is cut down to for balance.</summary>
    private const int MinChunkRows = 16;

    /// <summary>Threads shared by every transformer's batch scoring (background threads that live with the process).</summary>
    private static WorkerPool ScoringPool => s_scoringPool.Value;

    private static readonly Lazy<WorkerPool> s_scoringPool = new(() => new WorkerPool(ScoringThreads));

    private static int ScoringThreads => Environment.ProcessorCount;

    /// <summary>
    /// Scores rows [<paramref name="start"/>, +<paramref name="rows"/>) into the output spans. Outputs are computed in
    /// place where they can be (the reconstruction, when features are not scaled; the latent columns; the errors), so
    /// the chunk copies only what the caller asks for twice or in other units.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreChunk(
        int start, int rows, ReadOnlySpan<float> features, Span<float> latentMean, Span<float> latentLogVariance,
        Span<float> reconstruction, Span<float> reconstructionError, Span<float> score, Span<bool> predictedLabel)
    {
        int f = FeatureCount, l = LatentDimension;
        ScoringWorkspace workspace = GetWorkspace();
        Span<float> mean = latentMean.IsEmpty ? workspace.Mean.AsSpan(0, rows * l) : latentMean.Slice(start * l, rows * l);
        Span<float> logVariance = latentLogVariance.IsEmpty
            ? workspace.LogVariance.AsSpan(0, rows * l) : latentLogVariance.Slice(start * l, rows * l);
        Span<float> decoded = reconstruction.IsEmpty || !Scaler.IsIdentity
            ? workspace.Reconstruction.AsSpan(0, rows * f) : reconstruction.Slice(start * f, rows * f);

        // The score of ScoreKind.ReconstructionError is the error itself, computed once into whichever buffer the caller
        // gave; an ensemble's score is an average, so it needs a buffer of its own.
        bool elbo = Options.ScoreKind == ScoreKind.NegativeElbo;
        bool ensemble = EnsembleNetworks.Count > 0;
        bool wantsScores = !score.IsEmpty || !predictedLabel.IsEmpty;
        Span<float> errors = !reconstructionError.IsEmpty ? reconstructionError.Slice(start, rows)
            : !score.IsEmpty && !elbo && !ensemble ? score.Slice(start, rows) : workspace.Errors.AsSpan(0, rows);
        Span<float> scores = !elbo && !ensemble ? errors : !score.IsEmpty ? score.Slice(start, rows) : workspace.Scores.AsSpan(0, rows);

        ReadOnlySpan<float> scaled = Scaler.Apply(features.Slice(start * f, rows * f), workspace.Scaled, rows);

        Network.Encode(scaled, rows, mean, logVariance, workspace);
        Network.Decode(mean, rows, decoded, workspace);
        if (!reconstructionError.IsEmpty || (wantsScores && !elbo))
        {
            LossTerms.MeanSquaredError(scaled, decoded, rows, f, errors);
        }

        if (elbo && wantsScores)
        {
            RowScores.NegativeElbo(Network, scaled, decoded, mean, logVariance, rows, scores, workspace.Difference);
        }
        else if (ensemble && wantsScores)
        {
            errors.CopyTo(scores);
        }

        if (!reconstruction.IsEmpty && !Scaler.IsIdentity)
        {
            Scaler.InverseTransform(decoded, reconstruction.Slice(start * f, rows * f), rows);
        }

        if (ensemble && wantsScores)
        {
            AddEnsembleScores(scaled, rows, scores, workspace);
        }

        if (!elbo && !ensemble && !reconstructionError.IsEmpty && !score.IsEmpty)
        {
            errors.CopyTo(score.Slice(start, rows));
        }

        if (!predictedLabel.IsEmpty)
        {
            for (int r = 0; r < rows; r++)
            {
                predictedLabel[start + r] = scores[r] > Threshold;
            }
        }
    }

    /// <summary>
    /// Turns <paramref name="scores"/>, the model's own network's scores of a chunk, into the ensemble's: adds every other
    /// network's score of the same rows, then divides by the number of networks. The other networks work in the
    /// workspace's buffers, which the model's own outputs no longer need by then (they are in the caller's buffers, or
    /// were not asked for; <see cref="ScoreChunk"/> has written the reconstruction out before).
    /// </summary>
    private void AddEnsembleScores(ReadOnlySpan<float> scaled, int rows, Span<float> scores, ScoringWorkspace workspace)
    {
        int f = FeatureCount, l = LatentDimension;
        Span<float> mean = workspace.Mean.AsSpan(0, rows * l), logVariance = workspace.LogVariance.AsSpan(0, rows * l);
        Span<float> decoded = workspace.Reconstruction.AsSpan(0, rows * f), memberScores = workspace.Errors.AsSpan(0, rows);
        for (int m = 0; m < EnsembleNetworks.Count; m++)
        {
            VaeNetwork network = EnsembleNetworks[m];
            network.Encode(scaled, rows, mean, logVariance, workspace);
            network.Decode(mean, rows, decoded, workspace);
            if (Options.ScoreKind == ScoreKind.NegativeElbo)
            {
                RowScores.NegativeElbo(network, scaled, decoded, mean, logVariance, rows, memberScores, workspace.Difference);
            }
            else
            {
                LossTerms.MeanSquaredError(scaled, decoded, rows, f, memberScores);
            }

            TensorPrimitives.Add(scores, memberScores, scores);
        }

        TensorPrimitives.Divide(scores, EnsembleNetworks.Count + 1, scores);
    }

    /// <summary>The batch path's parallel loop body: one item per chunk of rows.</summary>
    private readonly ref struct ScoringChunks(
        VaeTransformer model, int chunkRows, ReadOnlySpan<float> features, Span<float> latentMean, Span<float> latentLogVariance,
        Span<float> reconstruction, Span<float> reconstructionError, Span<float> score, Span<bool> predictedLabel) : IWorkerPoolBody
    {
        private readonly ReadOnlySpan<float> _features = features;
        private readonly Span<float> _latentMean = latentMean;
        private readonly Span<float> _latentLogVariance = latentLogVariance;
        private readonly Span<float> _reconstruction = reconstruction;
        private readonly Span<float> _reconstructionError = reconstructionError;
        private readonly Span<float> _score = score;
        private readonly Span<bool> _predictedLabel = predictedLabel;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int index, int worker)
        {
            int n = _features.Length / model.FeatureCount;
            int start = index * chunkRows;
            int rows = Math.Min(chunkRows, n - start);
            model.ScoreChunk(start, rows, _features, _latentMean, _latentLogVariance, _reconstruction, _reconstructionError, _score, _predictedLabel);
        }
    }

    /// <summary>
    /// Adds the six output columns to <paramref name="input"/>. Lazy: nothing is computed until a cursor moves; a cursor
    /// scores blocks of rows with one call into the batch path and computes only the output columns it was asked for.
    /// Shuffling and parallel cursors (<see cref="IDataView.GetRowCursorSet"/>) work as the input allows.
    /// </summary>
    /// <exception cref="ArgumentException">The feature column is missing, not a vector of Single, of unknown size or of another width than the model's.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new VaeDataView(this, input);
    }

    /// <summary>The schema <see cref="Transform(IDataView)"/> gives for <paramref name="inputSchema"/>.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Transform(IDataView)"/>.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => BindSchema(inputSchema).Output;

    /// <summary>The feature column of <paramref name="inputSchema"/> (checked) and the schema scoring gives for it.</summary>
    internal (DataViewSchema.Column Feature, DataViewSchema Output) BindSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        DataViewSchema.Column feature = FeatureColumn.Find(inputSchema, Options.FeatureColumnName, FeatureCount).Column;
        return (feature, VaeOutputColumns.Append(inputSchema, Options, FeatureCount, LatentDimension));
    }

    /// <summary>Always true: every output row depends on its input row only.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The row-by-row form of the model, used by ML.NET's <c>PredictionEngine</c>.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Transform(IDataView)"/>.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new VaeRowMapper(this, inputSchema);
    }

    /// <summary>
    /// Saves the model inside an ML.NET model (<c>mlContext.Model.Save</c>). ML.NET keeps the routes that load third-party
    /// transformers internal, so this writes ML.NET's own parts: the model's ONNX export (one row per call) and the
    /// mappings that give the columns their names and types. <c>mlContext.Model.Load</c> returns those parts, which score
    /// through ONNX Runtime one row at a time; for fast batch scoring keep <see cref="Save(string)"/> and <see cref="Load(string)"/>.
    /// </summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => MlNetModelRoute.Save(this, ctx);

    /// <summary>Latent means of the rows: features for clustering.</summary>
    public float[][] Encode(float[][] rows)
    {
        FeatureMatrix matrix = ToMatrix(rows);
        var mean = new float[matrix.RowCount * LatentDimension];
        Score(matrix.Values.Span, featuresChecked: true, mean, default, default, default, default, default);
        return Split(mean, LatentDimension);
    }

    /// <summary>Decodes latent points into rows in the original feature units.</summary>
    /// <exception cref="ArgumentException">A latent row has the wrong width or a non-finite value.</exception>
    public float[][] Decode(float[][] latent)
    {
        FeatureMatrix matrix = BatchArguments.Rows(latent, LatentDimension, "latent point");
        return DecodeScaled(matrix.Values.Span, matrix.RowCount);
    }

    /// <summary>Reconstructs rows through the encoder and decoder (z = latent mean): denoising.</summary>
    public float[][] Reconstruct(float[][] rows)
    {
        FeatureMatrix matrix = ToMatrix(rows);
        var reconstruction = new float[matrix.RowCount * FeatureCount];
        Score(matrix.Values.Span, featuresChecked: true, default, default, reconstruction, default, default, default);
        return Split(reconstruction, FeatureCount);
    }

    /// <summary>Generates <paramref name="count"/> new rows by decoding draws from the N(0, I) prior.</summary>
    public float[][] Sample(int count, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var z = new float[count * LatentDimension];
        new DeterministicRandom(seed).FillGaussian(z);
        return DecodeScaled(z, count);
    }

    /// <summary>
    /// Mean per-row loss with Beta = 1: the negative ELBO (in nats for binary cross-entropy and the Gaussian decoder), with
    /// z = latent mean or, when <paramref name="sampleLatent"/>, one sample of z per row drawn with <paramref name="seed"/>.
    /// </summary>
    public VaeLoss Evaluate(FeatureMatrix rows, bool sampleLatent = false, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.ColumnCount != FeatureCount)
        {
            throw new ArgumentException($"The data has {rows.ColumnCount} columns but the model expects {FeatureCount} per row.", nameof(rows));
        }

        int n = rows.RowCount;
        var scaled = new float[n * FeatureCount];
        Scaler.Transform(rows.Values.Span, scaled, n);
        var noise = new float[n * LatentDimension];
        if (sampleLatent)
        {
            new DeterministicRandom(seed).FillGaussian(noise);
        }

        var step = new TrainingStep(Network.Layout, Math.Min(n, 1024), pool: null);
        BatchLoss loss = VaeTrainer.EvaluateScaled(step, Network.Parameters, scaled, n, FeatureCount, LatentDimension, 1f, noise);
        return new VaeLoss(loss.Total, loss.Reconstruction, loss.Kl);
    }

    /// <inheritdoc cref="Evaluate(FeatureMatrix, bool, int)"/>
    public VaeLoss Evaluate(float[][] rows, bool sampleLatent = false, int seed = 0) => Evaluate(ToMatrix(rows), sampleLatent, seed);

    /// <summary>
    /// Saves the model as one versioned, checksummed file, written to a temporary file and then renamed (a replaced file
    /// keeps its permissions).
    /// </summary>
    public void Save(string path) => ModelFile.Save(this, path);

    /// <summary>Writes the model file's bytes to <paramref name="stream"/>.</summary>
    public void Save(Stream stream) => ModelFile.Write(this, stream);

    /// <summary>Loads a model saved by <see cref="Save(string)"/>.</summary>
    /// <exception cref="VaeModelFormatException">The file is truncated, corrupted, of another format or from a newer version.</exception>
    public static VaeTransformer Load(string path) => ModelFile.Load(path);

    /// <summary>Reads a model from <paramref name="stream"/>.</summary>
    /// <exception cref="VaeModelFormatException">The data is truncated, corrupted, of another format or from a newer version.</exception>
    public static VaeTransformer Load(Stream stream) => ModelFile.Read(stream);

    /// <summary>
    /// Exports the scoring pass as an ONNX model (opset 17), written to a temporary file and then renamed: input
    /// <c>Features</c> float [N, FeatureCount] of raw rows (the feature scaler is inside the graph); outputs
    /// <c>LatentMean</c>, <c>LatentLogVariance</c> [N, LatentDimension], <c>Reconstruction</c> [N, FeatureCount],
    /// <c>ReconstructionError</c>, <c>Score</c> [N] and <c>PredictedLabel</c> bool [N], matching <see cref="Transform(float[][])"/>.
    /// Score it with ONNX Runtime, ML.NET's <c>ApplyOnnxModel</c> or <see cref="OnnxVaeScorer"/>.
    /// </summary>
    public void ExportOnnx(string path) => OnnxExporter.Export(this, path);

    /// <summary>Writes the ONNX model's bytes (see <see cref="ExportOnnx(string)"/>) to <paramref name="stream"/>.</summary>
    public void ExportOnnx(Stream stream) => OnnxExporter.Export(this, stream);

    private float[][] DecodeScaled(ReadOnlySpan<float> latent, int count)
    {
        ScoringWorkspace workspace = GetWorkspace();
        int f = FeatureCount, l = LatentDimension;
        var result = new float[count * f];
        for (int start = 0; start < count; start += workspace.Rows)
        {
            int rows = Math.Min(workspace.Rows, count - start);
            Span<float> decoded = workspace.Reconstruction.AsSpan(0, rows * f);
            Network.Decode(latent.Slice(start * l, rows * l), rows, decoded, workspace);
            Scaler.InverseTransform(decoded, result.AsSpan(start * f, rows * f), rows);
        }

        return Split(result, f);
    }

    private ScoringWorkspace GetWorkspace()
    {
        ScoringWorkspace? workspace = t_workspace;
        if (workspace is null || !workspace.Fits(Network.Layout))
        {
            workspace = new ScoringWorkspace(Network.Layout);
            t_workspace = workspace;
        }

        return workspace;
    }

    private FeatureMatrix ToMatrix(float[][] rows) => BatchArguments.Rows(rows, FeatureCount, "row");

    private static float[][] Split(float[] values, int width)
    {
        var result = new float[values.Length / width][];
        for (int r = 0; r < result.Length; r++)
        {
            result[r] = values.AsSpan(r * width, width).ToArray();
        }

        return result;
    }
}
