namespace VaeMl.Examples.Clustering;

/// <summary>The clustering example's settings (command-line flags).</summary>
public sealed record ClusteringSettings
{
    /// <summary>Training epochs (<c>--epochs</c>).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Latent dimension, and the number of principal components compared (<c>--latent</c>).</summary>
    public int Latent { get; init; } = 10;

    /// <summary>Folder holding the four IDX files (<c>--data</c>); null fetches them once into the cache.</summary>
    public string? Data { get; init; }

    /// <summary>Read at most this many training and test images (<c>--limit</c>), for smoke runs.</summary>
    public int Limit { get; init; } = int.MaxValue;

    /// <summary>Random seed (<c>--seed</c>).</summary>
    public int Seed { get; init; }

    /// <summary>Flag usage, printed by <c>--help</c>.</summary>
    public const string Usage =
        "dotnet run -c Release --project examples/Clustering -- [--epochs N] [--latent N] [--data DIR] [--limit N] [--seed N]";

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">An unknown flag or a bad value.</exception>
    public static (ClusteringSettings Settings, bool Help) Parse(string[] args)
    {
        var flags = new ExampleArguments(args, "--epochs", "--latent", "--data", "--limit", "--seed");
        var defaults = new ClusteringSettings();
        return (new ClusteringSettings
        {
            Epochs = flags.GetInt("--epochs", defaults.Epochs),
            Latent = flags.GetInt("--latent", defaults.Latent, max: 784),
            Data = flags.GetString("--data"),
            Limit = flags.GetInt("--limit", defaults.Limit),
            Seed = flags.GetInt("--seed", defaults.Seed, min: int.MinValue),
        }, flags.Help);
    }
}
