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
        // The tests build for linux-x64 only, and restore puts the package's copy here: its absence is a failure, not a skip.
        Assert.IsTrue(OperatingSystem.IsLinux() && File.Exists(original), $"No package copy of the Linux glue at {original}.");

        // A portable build keeps the package's runtimes/ folders, a build for linux-x64 puts the natives beside the tests.
        string copy = Path.Combine(AppContext.BaseDirectory, native);
        byte[] package = File.ReadAllBytes(original), output = File.ReadAllBytes(File.Exists(copy) ? copy : Path.Combine(AppContext.BaseDirectory, Path.GetFileName(native)));
        Assert.HasCount(package.Length, output);
        int[] changed = [.. Enumerable.Range(0, package.Length).Where(i => package[i] != output[i])];
        Assert.HasCount(1, changed);
        Assert.AreEqual(package[changed[0]] | 0x2, output[changed[0]], "VER_FLG_WEAK set, nothing else");
    }

    /// <summary>The runtime's error as it reads on Debian 12 with the package's own copy of the glue (abridged: 12 paths).</summary>
    private const string OldCppRuntime = """
        Unable to load shared library 'LibTorchSharp' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace.
        /app/runtimes/linux-x64/native/LibTorchSharp.so: cannot open shared object file: No such file or directory
        /app/LibTorchSharp.so: cannot open shared object file: No such file or directory
        /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)
        /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libLibTorchSharp.so: cannot open shared object file: No such file or directory
        /app/libLibTorchSharp: cannot open shared object file: No such file or directory
        """;

    private const string MissingLibtorch = """
        Unable to load shared library 'LibTorchSharp' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace.
        /app/runtimes/linux-x64/native/LibTorchSharp.so: cannot open shared object file: No such file or directory
        /app/runtimes/linux-x64/native/libLibTorchSharp.so: libtorch_cpu.so: cannot open shared object file: No such file or directory
        /app/libLibTorchSharp: cannot open shared object file: No such file or directory
        """;

    [TestMethod]
    public void AnOldCppRuntimeIsExplainedWithItsFix()
    {
        string message = TorchNative.Explain(OldCppRuntime);
        StringAssert.Contains(message, "needs a newer C++ runtime (libstdc++)");
        StringAssert.Contains(message, "build the application with the package's build files");
        StringAssert.Contains(message, "GCC 13 or later");
        StringAssert.EndsWith(message, "The loader said: /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)");
    }

    [TestMethod]
    public void MissingLibtorchIsExplainedWithThePackagesToReference()
    {
        string message = TorchNative.Explain(MissingLibtorch);
        StringAssert.Contains(message, "reference a libtorch package as well as Microsoft.ML.Vae.TorchSharp");
        StringAssert.Contains(message, "libtorch-cpu-linux-x64");
        StringAssert.Contains(message, "TorchSharp-cuda-linux");
        StringAssert.EndsWith(message, "The loader said: /app/runtimes/linux-x64/native/libLibTorchSharp.so: libtorch_cpu.so: cannot open shared object file: No such file or directory");
    }
}
