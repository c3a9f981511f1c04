namespace Microsoft.ML.Vae.Cli;

/// <summary>A failure with a message for the user and the exit code it maps to.</summary>
internal sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>One of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    public static CliException BadInput(string message, Exception? inner = null) => new(ExitCodes.BadInput, message, inner);

    public static CliException Model(string message, Exception? inner = null) => new(ExitCodes.ModelError, message, inner);
}
