using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using TorchSharp;

namespace Microsoft.ML.Vae.TorchSharp;

/// <summary>
/// Loads TorchSharp's native glue (and with it libtorch) before TorchSharp does, to report a failure by its cause.
/// TorchSharp's own loader answers any failure with "doesn't contain a reference to libtorch-cpu-..." (after copying
/// the packages' libraries, hundreds of megabytes, next to the application), even when the libraries are there and the
/// system's C++ runtime is what is missing.
/// </summary>
internal static partial class TorchNative
{
    private static readonly Lazy<string?> s_failure = new(Load);

    /// <exception cref="TorchSharpUnavailableException">The native libraries do not load (the message says why and what to do).</exception>
    public static void EnsureLoaded()
    {
        if (s_failure.Value is { } message)
        {
            throw new TorchSharpUnavailableException(message);
        }
    }

    private static string? Load()
    {
        try
        {
            NativeLibrary.Load("LibTorchSharp", typeof(torch).Assembly, null);
            return null;
        }
        catch (DllNotFoundException e)
        {
            return Explain(e.Message);
        }
    }

    /// <summary>Our message for the runtime's load error, which lists every path it tried with the loader's reason.</summary>
    internal static string Explain(string loaderError)
    {
        // The reasons that matter: not the paths where the glue simply is not (the runtime tries a dozen name variants).
        string[] reasons = [.. loaderError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Where(line => !ProbeMiss().IsMatch(line))];
        string said = " The loader said: " + (reasons.Length > 0 ? string.Join(" ", reasons) : loaderError);
        if (loaderError.Contains("GLIBCXX_", StringComparison.Ordinal) || loaderError.Contains("CXXABI_", StringComparison.Ordinal))
        {
            return "TorchSharp's native library (libLibTorchSharp) needs a newer C++ runtime (libstdc++) than this system has. " +
                "Microsoft.ML.Vae.TorchSharp's build step marks the one requirement that does not matter (GLIBCXX_3.4.32, a marker " +
                "symbol) weak in the copy in your build output: build the application with the package's build files (not a copy " +
                "of another build's output), or install libstdc++ from GCC 13 or later." + said;
        }

        return "libtorch's native libraries did not load: reference a libtorch package as well as Microsoft.ML.Vae.TorchSharp, " +
            "libtorch-cpu-linux-x64 2.10.0 (or TorchSharp-cpu 0.107.0) for the CPU, TorchSharp-cuda-linux or TorchSharp-cuda-windows " +
            "0.107.0 for NVIDIA GPUs, so that they are copied next to the application." + said;
    }

    [GeneratedRegex(@"^(.*[/\\])?(lib)?LibTorchSharp(\.so|\.dylib|\.dll)?: cannot open shared object file")]
    private static partial Regex ProbeMiss();
}
