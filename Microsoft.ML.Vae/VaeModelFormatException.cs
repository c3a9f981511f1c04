namespace Microsoft.ML.Vae;

/// <summary>
/// A model file could not be read: it is truncated, corrupted, of another format, or written by a newer version
/// of the library. The only exception <see cref="VaeTransformer.Load(string)"/> throws for an unreadable file.
/// </summary>
public sealed class VaeModelFormatException : IOException
{
    /// <summary>Creates the exception with a message saying what is wrong.</summary>
    public VaeModelFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public VaeModelFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
