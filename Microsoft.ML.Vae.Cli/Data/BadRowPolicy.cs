namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>What to do with a row that has a missing or non-numeric value, or the wrong number of fields.</summary>
internal enum BadRowPolicy
{
    /// <summary>Stop with an error naming the file, line and column.</summary>
    Fail,

    /// <summary>Leave the row out, count it and report the first line numbers.</summary>
    Skip,
}
