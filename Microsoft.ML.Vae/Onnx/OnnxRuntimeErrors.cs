using OrtException = Microsoft.ML.OnnxRuntime.OnnxRuntimeException;

namespace Microsoft.ML.Vae.Onnx;

/// <summary>
/// Turns the official package's exception into VaeMl's <see cref="OnnxRuntimeException"/>. The package keeps the
/// native error code internal and writes it only as a message prefix, <c>[ErrorCode:InvalidProtobuf] ...</c>, so the
/// code is read back from there.
/// </summary>
internal static class OnnxRuntimeErrors
{
    private const string Prefix = "[ErrorCode:";

    public static OnnxRuntimeException From(OrtException e, string context)
    {
        (OnnxRuntimeErrorCode code, string message) = Split(e.Message);
        return new OnnxRuntimeException(code, $"{context}: {message}");
    }

    /// <summary>The error code named in the prefix (<see cref="OnnxRuntimeErrorCode.Fail"/> if unknown) and the message after it.</summary>
    public static (OnnxRuntimeErrorCode Code, string Message) Split(string message)
    {
        int end = message.StartsWith(Prefix, StringComparison.Ordinal) ? message.IndexOf(']', Prefix.Length) : -1;
        if (end < 0)
        {
            return (OnnxRuntimeErrorCode.Fail, message);
        }

        string name = message[Prefix.Length..end];
        OnnxRuntimeErrorCode code = name switch
        {
            // The package's enum lags the C API: it calls native code 11 (ORT_EP_FAIL) ShapeInferenceNotRegistered.
            "ShapeInferenceNotRegistered" => OnnxRuntimeErrorCode.ExecutionProviderFail,
            _ when Enum.TryParse(name, ignoreCase: false, out OnnxRuntimeErrorCode parsed) && Enum.IsDefined(parsed) && parsed != OnnxRuntimeErrorCode.None => parsed,
            _ => OnnxRuntimeErrorCode.Fail,
        };
        return (code, message[(end + 1)..].TrimStart());
    }
}
