using System.Globalization;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Vae.Data;
using Microsoft.ML.Vae.Onnx;
using InferenceSession = Microsoft.ML.OnnxRuntime.InferenceSession;
using NodeMetadata = Microsoft.ML.OnnxRuntime.NodeMetadata;
using OrtException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;
using OrtLoggingLevel = Microsoft.ML.OnnxRuntime.OrtLoggingLevel;
using OrtMemoryInfo = Microsoft.ML.OnnxRuntime.OrtMemoryInfo;
using OrtValue = Microsoft.ML.OnnxRuntime.OrtValue;
using RunOptions = Microsoft.ML.OnnxRuntime.RunOptions;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Microsoft.ML.Vae;

/// <summary>
/// Scores rows with an exported VaeMl ONNX model (see <see cref="VaeTransformer.ExportOnnx(string)"/>) in ONNX Runtime
/// (the official <c>Microsoft.ML.OnnxRuntime</c> package), giving the same six outputs as <see cref="VaeTransformer"/>.
/// Safe to score from many threads; dispose (once no call is scoring) to free the native session.
/// </summary>
public sealed unsafe class OnnxVaeScorer : IDisposable
{
    private static readonly string[] InputNames = [OnnxContract.Features];

    private readonly InferenceSession session;
    // Shared by every run: the runtime only reads it.
    private readonly RunOptions runOptions;
    private bool disposed;

    /// <summary>Loads an exported model file.</summary>
    /// <param name="modelPath">Path of the .onnx file.</param>
    /// <param name="threadCount">Threads ONNX Runtime may use inside one scoring call; 0 lets it choose (all cores).</param>
    /// <exception cref="OnnxRuntimeException">The runtime refused the file (its message says why), or the model lacks VaeMl's inputs and outputs.</exception>
    public OnnxVaeScorer(string modelPath, int threadCount = 0)
        : this(Load(modelPath ?? throw new ArgumentNullException(nameof(modelPath)), null, threadCount), $"'{modelPath}'")
    {
    }

    /// <summary>Loads an exported model from its bytes (e.g. what <see cref="VaeTransformer.ExportOnnx(Stream)"/> wrote).</summary>
    /// <param name="model">The serialized ONNX model.</param>
    /// <param name="threadCount">Threads ONNX Runtime may use inside one scoring call; 0 lets it choose (all cores).</param>
    /// <exception cref="OnnxRuntimeException">The runtime refused the bytes (its message says why), or the model lacks VaeMl's inputs and outputs.</exception>
    public OnnxVaeScorer(ReadOnlySpan<byte> model, int threadCount = 0)
        : this(Load(null, model.ToArray(), threadCount), "The ONNX model")
    {
    }

    private OnnxVaeScorer(InferenceSession session, string description)
    {
        this.session = session;
        try
        {
            NodeMetadata input = session.InputNames.Count == 1 && session.InputNames[0] == OnnxContract.Features
                ? session.InputMetadata[OnnxContract.Features]
                : throw NotVaeModel(description, $"it must have exactly one input named '{OnnxContract.Features}'");
            if (!input.IsTensor || input.ElementDataType != TensorElementType.Float || input.Dimensions.Length != 2 || input.Dimensions[1] <= 0)
            {
                throw NotVaeModel(description, $"input '{OnnxContract.Features}' must be float32 [N, F] with a fixed F");
            }

            FeatureCount = input.Dimensions[1];
            NodeMetadata latent = Output(description, OnnxContract.LatentMean, TensorElementType.Float, 2);
            LatentDimension = latent.Dimensions[1] > 0 ? latent.Dimensions[1] : throw NotVaeModel(description, "LatentMean must have a fixed width");
            Output(description, OnnxContract.LatentLogVariance, TensorElementType.Float, 2);
            Output(description, OnnxContract.Reconstruction, TensorElementType.Float, 2);
            Output(description, OnnxContract.ReconstructionError, TensorElementType.Float, 1);
            Output(description, OnnxContract.Score, TensorElementType.Float, 1);
            Output(description, OnnxContract.PredictedLabel, TensorElementType.Bool, 1);

            Metadata = ReadMetadata(session, description);
            Threshold = Metadata.TryGetValue(OnnxContract.ThresholdKey, out string? threshold)
                && float.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                ? value
                : float.NaN;
            runOptions = new RunOptions();
        }
        catch (OrtException e)
        {
            session.Dispose();
            throw OnnxRuntimeErrors.From(e, "ONNX Runtime could not describe the model's inputs, outputs or metadata");
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Number of features a row has (the width of the <c>Features</c> input).</summary>
    public int FeatureCount { get; }

    /// <summary>Width of the latent outputs.</summary>
    public int LatentDimension { get; }

    /// <summary>The anomaly threshold recorded in the model's metadata (NaN if absent).</summary>
    public float Threshold { get; }

    /// <summary>The model's metadata properties (producer, library version, threshold, feature count, loss, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Scores rows one array per row, as <see cref="VaeTransformer.Transform(float[][])"/> does.</summary>
    /// <exception cref="ArgumentException">No rows, or a row is null, has the wrong width or holds a non-finite value (the message names it).</exception>
    public VaePrediction[] Score(float[][] rows)
    {
        FeatureMatrix matrix = BatchArguments.Rows(rows, FeatureCount, "row");
        int f = FeatureCount, l = LatentDimension, n = matrix.RowCount;
        ReadOnlySpan<float> features = matrix.Values.Span;
        var outputs = new PredictionBuffers(n, f, l);
        Score(features, outputs.LatentMean, outputs.LatentLogVariance, outputs.Reconstruction, outputs.ReconstructionError, outputs.Score, outputs.PredictedLabel);
        return outputs.ToPredictions();
    }

    /// <summary>
    /// The batch path: scores the row-major rows in <paramref name="features"/> ([n, FeatureCount]) into caller-owned
    /// buffers, which ONNX Runtime writes directly. Outputs are row-major; pass an empty span to skip an output.
    /// Same contract as <see cref="VaeTransformer.Transform(ReadOnlySpan{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{float}, Span{bool})"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Wrong sizes, or a NaN or infinite value (the message names its row and column).</exception>
    /// <exception cref="OnnxRuntimeException">The runtime failed to run the model.</exception>
    public void Score(
        ReadOnlySpan<float> features, Span<float> latentMean, Span<float> latentLogVariance, Span<float> reconstruction,
        Span<float> reconstructionError, Span<float> score, Span<bool> predictedLabel)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        int f = FeatureCount, l = LatentDimension;
        int n = BatchArguments.Scoring(
            features, f, l, ref latentMean, ref latentLogVariance, ref reconstruction, ref reconstructionError, ref score, ref predictedLabel);
        if (n == 0)
        {
            return;
        }

        int count = (latentMean.IsEmpty ? 0 : 1) + (latentLogVariance.IsEmpty ? 0 : 1) + (reconstruction.IsEmpty ? 0 : 1)
            + (reconstructionError.IsEmpty ? 0 : 1) + (score.IsEmpty ? 0 : 1) + (predictedLabel.IsEmpty ? 0 : 1);
        if (count == 0)
        {
            return;
        }

        long[] rowsByFeatures = [n, f], rowsByLatent = [n, l], rowsOnly = [n];
        // All six outputs (the usual call) use the contract's own order; a subset gets its own list.
        string[]? subset = count == OnnxContract.Outputs.Length ? null : new string[count];
        var outputs = new OrtValue[count];
        var inputs = new OrtValue[1];
        // The tensors only wrap the pinned spans: ONNX Runtime reads and writes the caller's memory in place.
        fixed (float* x = features)
        fixed (float* mean = latentMean)
        fixed (float* logVariance = latentLogVariance)
        fixed (float* decoded = reconstruction)
        fixed (float* error = reconstructionError)
        fixed (float* scores = score)
        fixed (bool* labels = predictedLabel)
        {
            try
            {
                int bound = 0;
                Bind(subset, outputs, ref bound, OnnxContract.LatentMean, mean, latentMean.Length, TensorElementType.Float, rowsByLatent);
                Bind(subset, outputs, ref bound, OnnxContract.LatentLogVariance, logVariance, latentLogVariance.Length, TensorElementType.Float, rowsByLatent);
                Bind(subset, outputs, ref bound, OnnxContract.Reconstruction, decoded, reconstruction.Length, TensorElementType.Float, rowsByFeatures);
                Bind(subset, outputs, ref bound, OnnxContract.ReconstructionError, error, reconstructionError.Length, TensorElementType.Float, rowsOnly);
                Bind(subset, outputs, ref bound, OnnxContract.Score, scores, score.Length, TensorElementType.Float, rowsOnly);
                Bind(subset, outputs, ref bound, OnnxContract.PredictedLabel, labels, predictedLabel.Length, TensorElementType.Bool, rowsOnly);
                inputs[0] = Tensor(x, features.Length, TensorElementType.Float, rowsByFeatures);
                session.Run(runOptions, InputNames, inputs, subset ?? OnnxContract.Outputs, outputs);
            }
            catch (OrtException e)
            {
                throw OnnxRuntimeErrors.From(e, "ONNX Runtime failed to run the model");
            }
            finally
            {
                inputs[0]?.Dispose();
                foreach (OrtValue? value in outputs)
                {
                    value?.Dispose();
                }
            }
        }
    }

    /// <summary>Releases the native session.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        session.Dispose();
        runOptions.Dispose();
    }

    /// <summary>Creates the session from a file or from bytes; the runtime's refusal becomes our exception.</summary>
    private static InferenceSession Load(string? path, byte[]? model, int threadCount)
    {
        if (threadCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threadCount), threadCount, "Thread count must be 0 (runtime's choice) or positive.");
        }

        try
        {
            // The session copies what it needs from the options, so they are released right away. Warnings (e.g. a
            // declared shape the runtime infers differently) stay quiet; errors still reach the caller as exceptions.
            using var options = new SessionOptions
            {
                IntraOpNumThreads = threadCount,
                InterOpNumThreads = 1,
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            };
            return path is not null ? new InferenceSession(path, options) : new InferenceSession(model!, options);
        }
        catch (OrtException e)
        {
            throw OnnxRuntimeErrors.From(e, path is not null ? $"ONNX Runtime could not load '{path}'" : "ONNX Runtime could not load the model");
        }
    }

    private static void Bind(string[]? subset, OrtValue[] outputs, ref int bound, string name, void* data, int length, TensorElementType type, long[] shape)
    {
        if (length > 0)
        {
            if (subset is not null)
            {
                subset[bound] = name;
            }

            outputs[bound++] = Tensor(data, length, type, shape);
        }
    }

    private static OrtValue Tensor(void* data, int length, TensorElementType type, long[] shape)
    {
        long bytes = length * (long)(type == TensorElementType.Bool ? sizeof(bool) : sizeof(float));
        return OrtValue.CreateTensorValueWithData(OrtMemoryInfo.DefaultInstance, type, shape, (IntPtr)data, bytes);
    }

    /// <summary>
    /// The model's metadata map. The binding's reader fails with a NullReferenceException on some malformed metadata
    /// (e.g. a damaged entry), which is a damaged file, not a bug of the caller's.
    /// </summary>
    private static Dictionary<string, string> ReadMetadata(InferenceSession session, string description)
    {
        try
        {
            return new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
        }
        catch (NullReferenceException e)
        {
            throw new OnnxRuntimeException($"{description} is not a VaeMl ONNX model: its metadata cannot be read.", e);
        }
    }

    private static OnnxRuntimeException NotVaeModel(string description, string why)
        => new($"{description} is not a VaeMl ONNX model: {why}.");

    private NodeMetadata Output(string description, string name, TensorElementType elementType, int rank)
    {
        return session.OutputMetadata.TryGetValue(name, out NodeMetadata? info)
            && info.IsTensor && info.ElementDataType == elementType && info.Dimensions.Length == rank
            ? info
            : throw NotVaeModel(description, $"it needs an output '{name}' of rank {rank} ({(elementType == TensorElementType.Bool ? "bool" : "float32")})");
    }
}
