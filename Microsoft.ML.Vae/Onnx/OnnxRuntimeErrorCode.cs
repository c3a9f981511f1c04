namespace Microsoft.ML.Vae;

/// <summary>
/// Why ONNX Runtime refused a call: the native runtime's <c>OrtErrorCode</c>, or <see cref="None"/> when the
/// failure was found by VaeMl itself (a model without VaeMl's inputs and outputs).
/// </summary>
public enum OnnxRuntimeErrorCode
{
    /// <summary>Not reported by the native runtime.</summary>
    None = 0,

    /// <summary>Unspecified failure.</summary>
    Fail = 1,

    /// <summary>An argument (shape, type, name) was rejected.</summary>
    InvalidArgument = 2,

    /// <summary>The model file does not exist.</summary>
    NoSuchFile = 3,

    /// <summary>No model was loaded.</summary>
    NoModel = 4,

    /// <summary>The execution engine failed.</summary>
    EngineError = 5,

    /// <summary>A kernel threw while running.</summary>
    RuntimeException = 6,

    /// <summary>The bytes are not an ONNX protobuf.</summary>
    InvalidProtobuf = 7,

    /// <summary>A model was already loaded.</summary>
    ModelLoaded = 8,

    /// <summary>The model uses something this runtime does not implement.</summary>
    NotImplemented = 9,

    /// <summary>The graph is not valid ONNX.</summary>
    InvalidGraph = 10,

    /// <summary>An execution provider failed.</summary>
    ExecutionProviderFail = 11,
}
