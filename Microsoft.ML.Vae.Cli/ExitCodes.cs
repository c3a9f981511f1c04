namespace Microsoft.ML.Vae.Cli;

/// <summary>The documented exit codes of the <c>vae</c> command (see README.md).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Bad command line: unknown command or option, missing or invalid value, conflicting flags.</summary>
    public const int Usage = 1;

    /// <summary>Bad input data: missing or unreadable file, malformed CSV, missing column, non-numeric value, an output that is an input.</summary>
    public const int BadInput = 2;

    /// <summary>The model file is missing, unreadable, corrupt or does not fit the data, or training diverged.</summary>
    public const int ModelError = 3;

    /// <summary>A failure the tool did not expect: a bug, reported in one line all the same.</summary>
    public const int InternalError = 4;

    /// <summary>The help text's summary of the codes, kept next to their definitions.</summary>
    public const string HelpText =
        "Exit codes: 0 ok, 1 usage error, 2 bad input data (file, CSV, column, value), 3 model error (missing, corrupt, mismatched, training diverged), 4 internal error.";
}
