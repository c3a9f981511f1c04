namespace VaeMl.Examples.AnomalyDetection;

/// <summary>The one-class MNIST example's settings (command-line flags).</summary>
public sealed record AnomalySettings
{
    /// <summary>VAE training epochs per digit (<c>--epochs</c>).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Latent dimension (<c>--latent</c>).</summary>
    public int Latent { get; init; } = 8;

    /// <summary>Encoder widths (<c>--hidden</c>, comma-separated); the decoder mirrors them.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [256, 64];

    /// <summary>Rank of ML.NET's RandomizedPca detector (<c>--rank</c>); 20 is ML.NET's default.</summary>
    public int Rank { get; init; } = 20;

    /// <summary>Digits to treat in turn as the normal class (<c>--digits</c>, comma-separated).</summary>
    public IReadOnlyList<int> Digits { get; init; } = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    /// <summary>Folder holding the four IDX files (<c>--data</c>); null fetches them once into the cache.</summary>
    public string? Data { get; init; }

    /// <summary>Read at most this many training and test images (<c>--limit</c>), for smoke runs.</summary>
    public int Limit { get; init; } = int.MaxValue;

    /// <summary>Random seed (<c>--seed</c>).</summary>
    public int Seed { get; init; }

    /// <summary>Flag usage, printed by <c>--help</c>.</summary>
    public const string Usage =
        "dotnet run -c Release --project examples/AnomalyDetection -- [--epochs N] [--latent N] [--hidden 256,64] [--rank N] [--digits 0,1,...] [--data DIR] [--limit N] [--seed N]";

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">An unknown flag or a bad value.</exception>
    public static (AnomalySettings Settings, bool Help) Parse(string[] args)
    {
        var flags = new ExampleArguments(args, "--epochs", "--latent", "--hidden", "--rank", "--digits", "--data", "--limit", "--seed");
        var defaults = new AnomalySettings();
        return (new AnomalySettings
        {
            Epochs = flags.GetInt("--epochs", defaults.Epochs),
            Latent = flags.GetInt("--latent", defaults.Latent, max: 784),
            Hidden = flags.GetInts("--hidden", [.. defaults.Hidden], min: 1),
            Rank = flags.GetInt("--rank", defaults.Rank, max: 784),
            Digits = flags.GetInts("--digits", [.. defaults.Digits], min: 0, max: 9).Distinct().ToArray(),
            Data = flags.GetString("--data"),
            Limit = flags.GetInt("--limit", defaults.Limit),
            Seed = flags.GetInt("--seed", defaults.Seed, min: int.MinValue),
        }, flags.Help);
    }
}
