namespace VaeMl.Examples.Mnist;

/// <summary>The MNIST example's settings (command-line flags).</summary>
public sealed record MnistSettings
{
    /// <summary>Epochs of the default run, chosen so it finishes within 5 minutes on 2 cores.</summary>
    public const int DefaultEpochs = 30;

    /// <summary>Training epochs (<c>--epochs</c>).</summary>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>Latent dimension (<c>--latent</c>); the manifold picture needs 2 to be exact.</summary>
    public int Latent { get; init; } = 2;

    /// <summary>Output folder (<c>--output</c>).</summary>
    public string Output { get; init; } = Path.Combine("out", "mnist");

    /// <summary>Folder holding the four IDX files (<c>--data</c>); null fetches them once into the cache.</summary>
    public string? Data { get; init; }

    /// <summary>Use at most this many training and test images (<c>--limit</c>), for smoke runs.</summary>
    public int Limit { get; init; } = int.MaxValue;

    /// <summary>Random seed of training and of the pictures (<c>--seed</c>).</summary>
    public int Seed { get; init; }

    /// <summary>Flag usage, printed by <c>--help</c>.</summary>
    public const string Usage =
        "dotnet run -c Release --project examples/Mnist -- [--epochs N] [--latent N] [--output DIR] [--data DIR] [--limit N] [--seed N]";

    /// <summary>Parses the command line.</summary>
    /// <exception cref="ArgumentException">An unknown flag or a bad value.</exception>
    public static (MnistSettings Settings, bool Help) Parse(string[] args)
    {
        var flags = new ExampleArguments(args, "--epochs", "--latent", "--output", "--data", "--limit", "--seed");
        var defaults = new MnistSettings();
        return (new MnistSettings
        {
            Epochs = flags.GetInt("--epochs", defaults.Epochs),
            Latent = flags.GetInt("--latent", defaults.Latent, max: 784),
            Output = flags.GetString("--output") ?? defaults.Output,
            Data = flags.GetString("--data"),
            Limit = flags.GetInt("--limit", defaults.Limit),
            Seed = flags.GetInt("--seed", defaults.Seed, min: int.MinValue),
        }, flags.Help);
    }
}
