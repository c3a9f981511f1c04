using System.Reflection;
using Microsoft.ML.Vae.Training;

namespace Microsoft.ML.Vae.Cli.Commands;

/// <summary>
/// <c>vae train --engine</c>: the managed engine, or TorchSharp's from the Microsoft.ML.Vae.TorchSharp assembly when this
/// vae carries it (built with <c>-p:VaeTorchSharp=cpu</c> or <c>cuda</c>, or hosted by an application that references
/// it). vae does not reference it otherwise, so that its own output holds no libtorch (half a gigabyte and more).
/// </summary>
internal static class TrainingEngines
{
    private const string TorchSharpAssembly = "Microsoft.ML.Vae.TorchSharp";
    private const string TorchSharpEngine = "Microsoft.ML.Vae.TorchSharp.TorchSharpTrainingEngine";

    /// <summary>The engine for <c>--engine</c> and <c>--device</c>; null for the managed engine.</summary>
    /// <exception cref="CliException">A device without TorchSharp, a vae without TorchSharp, or an unknown device.</exception>
    public static IVaeTrainingEngine? Create(string engine, string device)
    {
        if (engine != "torchsharp")
        {
            return device == "cpu" ? null : throw CliException.Usage($"--device {device} needs --engine torchsharp (the managed engine trains on the CPU).");
        }

        Assembly assembly;
        try
        {
            assembly = Assembly.Load(TorchSharpAssembly);
        }
        catch (FileNotFoundException)
        {
            throw CliException.Usage(
                "--engine torchsharp needs a vae built with the TorchSharp engine: dotnet build Microsoft.ML.Vae.Cli -p:VaeTorchSharp=cpu " +
                "(or -p:VaeTorchSharp=cuda for NVIDIA GPUs, with the TorchSharp-cuda-linux package).");
        }

        try
        {
            return (IVaeTrainingEngine)Activator.CreateInstance(assembly.GetType(TorchSharpEngine, throwOnError: true)!, device)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            throw CliException.Usage($"--device: {inner.Message}");
        }
    }
}
