namespace Microsoft.ML.Vae.TorchSharp;

/// <summary>
/// TorchSharp cannot train here: libtorch's native libraries do not load, or the requested CUDA device is not there.
/// The message names the cause and what to install or change.
/// </summary>
public sealed class TorchSharpUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The cause and the fix.</param>
    /// <param name="innerException">The loader's own error, if any.</param>
    public TorchSharpUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
