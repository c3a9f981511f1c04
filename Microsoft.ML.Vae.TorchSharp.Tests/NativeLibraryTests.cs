using System.Reflection;
using TorchSharp;

namespace Microsoft.ML.Vae.TorchSharp.Tests;

/// <summary>The build's fix-up of TorchSharp's native glue, and the errors for the failures it cannot fix.</summary>
[TestClass]
public sealed class NativeLibraryTests
{
    /// <summary>
    /// The copy in the output differs from the package's in one byte: the weak flag of one version requirement (the
    /// tests loading libtorch at all show that this is enough on a system whose libstdc++ lacks GLIBCXX_3.4.32).
    /// </summary>
    [TestMethod]
    public void TheOutputCopyDiffersFromThePackagesInOneWeakFlag()
    {
        string version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ??
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string native = Path.Combine("runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        string original = Path.Combine(packages, "torchsharp", version, native);
        if (!OperatingSystem.IsLinux() || !File.Exists(original))
        {
            Assert.Inconclusive($"No package copy of the Linux glue at {original}.");
        }

        byte[] package = File.ReadAllBytes(original), output = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, native));
        Assert.HasCount(package.Length, output);
        int[] changed = [.. Enumerable.Range(0, package.Length).Where(i => package[i] != output[i])];
        Assert.HasCount(1, changed);
        Assert.AreEqual(package[changed[0]] | 0x2, output[changed[0]], "VER_FLG_WEAK set, nothing else");
    }

    [TestMethod]
    public void AnOldCppRuntimeIsExplainedWithItsFix()
    {
        string message = TorchNative.Explain(
            "Unable to load shared library 'LibTorchSharp' or one of its dependencies. /app/runtimes/linux-x64/native/libLibTorchSharp.so: " +
            "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)");
        StringAssert.Contains(message, "needs a newer C++ runtime (libstdc++)");
        StringAssert.Contains(message, "build the application with the package's build files");
        StringAssert.Contains(message, "GCC 13 or later");
        StringAssert.Contains(message, "version `GLIBCXX_3.4.32' not found");
    }

    [TestMethod]
    public void MissingLibtorchIsExplainedWithThePackagesToReference()
    {
        string message = TorchNative.Explain(
            "Unable to load shared library 'LibTorchSharp' or one of its dependencies. /app/libLibTorchSharp.so: cannot open shared object file: No such file or directory");
        StringAssert.Contains(message, "reference a libtorch package as well as Microsoft.ML.Vae.TorchSharp");
        StringAssert.Contains(message, "libtorch-cpu-linux-x64");
        StringAssert.Contains(message, "TorchSharp-cuda-linux");
        StringAssert.Contains(message, "cannot open shared object file");
    }
}
