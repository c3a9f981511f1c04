namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>The benchmarks' command-line options: <c>--name value</c> pairs.</summary>
internal static class BenchmarkOptions
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            options[args[i][2..]] = args[++i];
        }

        return options;
    }
}
