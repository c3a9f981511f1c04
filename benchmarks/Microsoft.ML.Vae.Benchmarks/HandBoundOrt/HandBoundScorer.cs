using System.Globalization;
using Microsoft.ML.Vae.Data;
using Microsoft.ML.Vae.Onnx;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>
/// The hand-written binding of ONNX Runtime's C API that OnnxVaeScorer used before it moved to the official package,
/// kept only while the `onnx` benchmark compares the two in one run.
/// </summary>
internal sealed unsafe class HandBoundScorer : IDisposable
{
    private readonly OrtSession session;
    private readonly IntPtr inputName;
    private readonly IntPtr[] outputNames;
    private bool disposed;

    /// <summary>Loads an exported model file.</summary>
    /// <param name="modelPath">Path of the .onnx file.</param>
    /// <param name="threadCount">Threads ONNX Runtime may use inside one scoring call; 0 lets it choose (all cores).</param>
    /// <exception cref="OnnxRuntimeException">The runtime is missing, refused the file (its message says why), or the model lacks VaeMl's inputs and outputs.</exception>
    public HandBoundScorer(string modelPath, int threadCount = 0)
        : this(OrtSession.FromFile(modelPath ?? throw new ArgumentNullException(nameof(modelPath)), CheckThreads(threadCount)), $"'{modelPath}'")
    {
    }

    /// <summary>Loads an exported model from its bytes (e.g. what <see cref="VaeTransformer.ExportOnnx(Stream)"/> wrote).</summary>
    /// <param name="model">The serialized ONNX model.</param>
    /// <param name="threadCount">Threads ONNX Runtime may use inside one scoring call; 0 lets it choose (all cores).</param>
    /// <exception cref="OnnxRuntimeException">The runtime is missing, refused the bytes (its message says why), or the model lacks VaeMl's inputs and outputs.</exception>
    public HandBoundScorer(ReadOnlySpan<byte> model, int threadCount = 0)
        : this(OrtSession.FromBytes(model, CheckThreads(threadCount)), "The ONNX model")
    {
    }

    private HandBoundScorer(OrtSession session, string description)
    {
        this.session = session;
        try
        {
            OrtTensorInfo input = session.Inputs.Count == 1 && session.Inputs[0].Name == OnnxContract.Features
                ? session.Inputs[0]
                : throw NotVaeModel(description, $"it must have exactly one input named '{OnnxContract.Features}'");
            if (input.ElementType != OrtApi.ElementFloat || input.Shape.Length != 2 || input.Shape[1] <= 0)
            {
                throw NotVaeModel(description, $"input '{OnnxContract.Features}' must be float32 [N, F] with a fixed F");
            }

            FeatureCount = checked((int)input.Shape[1]);
            OrtTensorInfo latent = Output(description, OnnxContract.LatentMean, OrtApi.ElementFloat, 2);
            LatentDimension = latent.Shape[1] > 0 ? checked((int)latent.Shape[1]) : throw NotVaeModel(description, "LatentMean must have a fixed width");
            Output(description, OnnxContract.LatentLogVariance, OrtApi.ElementFloat, 2);
            Output(description, OnnxContract.Reconstruction, OrtApi.ElementFloat, 2);
            Output(description, OnnxContract.ReconstructionError, OrtApi.ElementFloat, 1);
            Output(description, OnnxContract.Score, OrtApi.ElementFloat, 1);
            Output(description, OnnxContract.PredictedLabel, OrtApi.ElementBool, 1);

            Metadata = session.Metadata;
            Threshold = Metadata.TryGetValue(OnnxContract.ThresholdKey, out string? threshold)
                && float.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                ? value
                : float.NaN;
            inputName = session.NativeName(OnnxContract.Features);
            outputNames = Array.ConvertAll(OnnxContract.Outputs, session.NativeName);
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

        fixed (float* x = features)
        fixed (float* mean = latentMean)
        fixed (float* logVariance = latentLogVariance)
        fixed (float* decoded = reconstruction)
        fixed (float* error = reconstructionError)
        fixed (float* scores = score)
        fixed (bool* labels = predictedLabel)
        {
            Span<OrtTensorBinding> outputs = stackalloc OrtTensorBinding[6];
            int count = 0;
            Bind(outputs, ref count, 0, mean, latentMean.Length, sizeof(float), n, l);
            Bind(outputs, ref count, 1, logVariance, latentLogVariance.Length, sizeof(float), n, l);
            Bind(outputs, ref count, 2, decoded, reconstruction.Length, sizeof(float), n, f);
            Bind(outputs, ref count, 3, error, reconstructionError.Length, sizeof(float), n, 0);
            Bind(outputs, ref count, 4, scores, score.Length, sizeof(float), n, 0);
            Bind(outputs, ref count, 5, labels, predictedLabel.Length, sizeof(bool), n, 0);
            if (count == 0)
            {
                return;
            }

            var input = new OrtTensorBinding(inputName, x, OrtApi.ElementFloat, sizeof(float), n, f);
            session.Run(input, outputs[..count]);
        }
    }

    /// <summary>Releases the native session.</summary>
    public void Dispose()
    {
        disposed = true;
        session.Dispose();
    }

    private void Bind(Span<OrtTensorBinding> outputs, ref int count, int output, void* data, int length, int elementSize, int rows, int columns)
    {
        if (length > 0)
        {
            int type = output == 5 ? OrtApi.ElementBool : OrtApi.ElementFloat;
            outputs[count++] = new OrtTensorBinding(outputNames[output], data, type, elementSize, rows, columns);
        }
    }

    private static int CheckThreads(int threadCount) => threadCount >= 0
        ? threadCount
        : throw new ArgumentOutOfRangeException(nameof(threadCount), threadCount, "Thread count must be 0 (runtime's choice) or positive.");

    private static OnnxRuntimeException NotVaeModel(string description, string why)
        => new($"{description} is not a VaeMl ONNX model: {why}.");

    private OrtTensorInfo Output(string description, string name, int elementType, int rank)
    {
        OrtTensorInfo? info = session.Outputs.FirstOrDefault(o => o.Name == name);
        return info is not null && info.ElementType == elementType && info.Shape.Length == rank
            ? info
            : throw NotVaeModel(description, $"it needs an output '{name}' of rank {rank} ({(elementType == OrtApi.ElementBool ? "bool" : "float32")})");
    }
}
