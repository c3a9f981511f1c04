using System.Globalization;
using TorchSharp;

namespace Microsoft.ML.Vae.TorchSharp;

/// <summary>The devices the engine accepts ("cpu", "cuda", "cuda:N") and the check that one is there.</summary>
internal static class TorchDevice
{
    private const string CudaPackages =
        "install the TorchSharp-cuda-linux package (TorchSharp-cuda-windows on Windows) in place of the CPU libtorch package, " +
        "on a machine with an NVIDIA GPU and its driver, or train on \"cpu\"";

    /// <summary>The device name, normalized to lower case.</summary>
    /// <exception cref="ArgumentException">Not "cpu", "cuda" or "cuda:N".</exception>
    public static string Parse(string device)
    {
        ArgumentNullException.ThrowIfNull(device);
        string name = device.Trim().ToLowerInvariant();
        if (name is "cpu" or "cuda" || (name.StartsWith("cuda:", StringComparison.Ordinal) && CudaIndex(name) >= 0))
        {
            return name;
        }

        throw new ArgumentException($"Unknown TorchSharp device '{device}': use \"cpu\", \"cuda\" or \"cuda:N\" (N = 0, 1, ...).", nameof(device));
    }

    /// <summary>The torch device for a parsed name, once libtorch has loaded.</summary>
    /// <exception cref="TorchSharpUnavailableException">CUDA was asked for and TorchSharp reports no such device.</exception>
    public static torch.Device Resolve(string name)
    {
        if (name == "cpu")
        {
            return torch.CPU;
        }

        int index = name == "cuda" ? 0 : CudaIndex(name);
        if (!torch.cuda.is_available())
        {
            throw new TorchSharpUnavailableException($"CUDA requested ('{name}') but TorchSharp reports no CUDA device; {CudaPackages}.");
        }

        int count = torch.cuda.device_count();
        if (index >= count)
        {
            throw new TorchSharpUnavailableException($"CUDA device {index} requested ('{name}') but TorchSharp reports {count} CUDA device(s): use cuda:0 to cuda:{count - 1}.");
        }

        return torch.device(DeviceType.CUDA, index);
    }

    private static int CudaIndex(string name) =>
        int.TryParse(name.AsSpan("cuda:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : -1;
}
