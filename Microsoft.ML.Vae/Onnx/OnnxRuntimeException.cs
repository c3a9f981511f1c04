namespace Microsoft.ML.Vae;

/// <summary>
/// ONNX Runtime refused a model or a call, or the model is not a VaeMl model. The message carries the runtime's own
/// text (for example its protobuf parsing error for a file that is not ONNX).
/// </summary>
public sealed class OnnxRuntimeException : Exception
{
    /// <summary>Creates the exception with a message and no native error code.</summary>
    public OnnxRuntimeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public OnnxRuntimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a native failure.</summary>
    public OnnxRuntimeException(OnnxRuntimeErrorCode errorCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The native runtime's error code, or <see cref="OnnxRuntimeErrorCode.None"/> when VaeMl raised it.</summary>
    public OnnxRuntimeErrorCode ErrorCode { get; }
}
