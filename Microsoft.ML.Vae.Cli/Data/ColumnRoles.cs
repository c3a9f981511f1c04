namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Columns named like a row id or a label, which are not features unless named in --features: an id is a row number
/// the model would learn as a feature, and a label would leak the answer into the scores.
/// </summary>
internal static class ColumnRoles
{
    private static readonly HashSet<string> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        "", "id", "index", "idx", "key", "uuid", "guid", "row", "rowid", "row_id", "unnamed: 0",
        "label", "labels", "class", "target", "y", "ground_truth", "anomaly", "is_anomaly", "outlier", "is_outlier",
    };

    /// <summary>
    /// True for the names above (any case) and names ending in <c>_id</c>, <c>-id</c>, <c> id</c> or, in camel case,
    /// <c>Id</c> (<c>customer_id</c>, <c>customerId</c>).
    /// </summary>
    public static bool IsIdOrLabel(string name)
    {
        string trimmed = name.Trim();
        if (s_names.Contains(trimmed))
        {
            return true;
        }

        if (trimmed.Length > 3 && trimmed[^3] is '_' or '-' or ' ' && trimmed.EndsWith("id", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return trimmed.Length > 2 && trimmed.EndsWith("Id", StringComparison.Ordinal) && char.IsLower(trimmed[^3]);
    }
}
