namespace Microsoft.ML.Vae.Cli.Data;

/// <summary>
/// Where the features, keys and label of a <see cref="ColumnSelection"/> are among an input's columns, whatever the
/// format: the same selection rules and the same errors for a CSV header and a Parquet schema.
/// </summary>
internal sealed class ColumnLayout
{
    /// <summary>Column names listed in an error message, at most.</summary>
    private const int ListedColumns = 20;

    private ColumnLayout(IReadOnlyList<string> columns, int[] features, int[] keys, int label, IReadOnlyList<string> leftOut)
    {
        Columns = columns;
        Features = features;
        Keys = keys;
        Label = label;
        LeftOut = leftOut;
    }

    /// <summary>All the input's column names, in file order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Indexes of the feature columns, in feature order.</summary>
    public int[] Features { get; }

    /// <summary>Indexes of the --keep columns, in --keep order.</summary>
    public int[] Keys { get; }

    /// <summary>Index of the label column, or -1.</summary>
    public int Label { get; }

    /// <summary>Columns left out of the features because they are named like an id or a label (<see cref="ColumnRoles"/>).</summary>
    public IReadOnlyList<string> LeftOut { get; }

    public IReadOnlyList<string> FeatureNames => [.. Features.Select(i => Columns[i])];

    public IReadOnlyList<string> KeyNames => [.. Keys.Select(i => Columns[i])];

    /// <summary>
    /// Resolves <paramref name="selection"/> against <paramref name="columns"/>; <paramref name="error"/> makes the
    /// input's own exception from a problem (a named column that is not there, no features left).
    /// </summary>
    public static ColumnLayout Resolve(IReadOnlyList<string> columns, ColumnSelection selection, string source, Func<string, Exception> error)
    {
        IEnumerable<int> All(string name) => Enumerable.Range(0, columns.Count).Where(i => string.Equals(columns[i], name, StringComparison.Ordinal));

        int Find(string name, string option)
        {
            for (int i = 0; i < columns.Count; i++)
            {
                if (string.Equals(columns[i], name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            string listed = string.Join(", ", columns.Take(ListedColumns).Select(Shorten));
            string more = columns.Count > ListedColumns ? $", ... ({columns.Count} columns in all)" : "";
            throw error($"{option} names column '{Shorten(name)}', which {source} does not have. Columns: {listed}{more}.");
        }

        int[] keys = [.. selection.Keys.Select(k => Find(k, "--keep"))];
        int label = selection.Label is null ? -1 : Find(selection.Label, "--label");
        int[] features;
        IReadOnlyList<string> leftOut = [];
        if (selection.Features is { Count: > 0 } named)
        {
            if (named.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw error($"{selection.FeaturesOrigin} names column '{Shorten(twice.Key)}' {twice.Count()} times; a feature is named once.");
            }

            features = [.. named.Select(f => Find(f, selection.FeaturesOrigin))];
        }
        else
        {
            // Every column of an excluded name: two columns of one name can only be left out together.
            var excluded = new HashSet<int>(selection.Exclude.SelectMany(name => Find(name, "--exclude") >= 0 ? All(name) : []));

            excluded.UnionWith(keys);
            if (label >= 0)
            {
                excluded.Add(label);
            }

            // Columns named like an id or a label are left out unless named in --features, and reported.
            int[] idOrLabel = [.. Enumerable.Range(0, columns.Count).Where(i => !excluded.Contains(i) && ColumnRoles.IsIdOrLabel(columns[i]))];
            leftOut = [.. idOrLabel.Select(i => columns[i])];
            excluded.UnionWith(idOrLabel);
            features = [.. Enumerable.Range(0, columns.Count).Where(i => !excluded.Contains(i))];
        }

        if (features.Length == 0)
        {
            throw error("no feature columns are left; name them with --features.");
        }

        // A model finds its columns by name when it scores: of two columns with one name, it would read the first twice.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string column in columns)
        {
            counts[column] = counts.GetValueOrDefault(column) + 1;
        }

        foreach (int used in features.Concat(keys).Append(label))
        {
            if (used >= 0 && counts[columns[used]] > 1)
            {
                string name = columns[used];
                string positions = string.Join(", ", All(name).Select(i => $"#{i + 1}"));
                throw error($"{source} has {counts[name]} columns named '{Shorten(name)}' ({positions}), and columns are found by their names: rename them, or leave them all out with --exclude.");
            }
        }

        return new ColumnLayout(columns, features, keys, label, leftOut);
    }

    /// <summary>A column as error messages name it: <c>'name' (#number)</c>, 1-based.</summary>
    public string Describe(int column) => $"'{Shorten(Columns[column])}' (#{column + 1})";

    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
