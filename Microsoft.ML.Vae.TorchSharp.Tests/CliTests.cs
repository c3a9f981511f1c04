using Microsoft.ML.Vae.Tests.Cli;

namespace Microsoft.ML.Vae.TorchSharp.Tests;

/// <summary><c>vae train --engine torchsharp</c> in a process that carries the engine (as a vae built with -p:VaeTorchSharp=cpu does).</summary>
[TestClass]
public sealed class CliTests
{
    [TestMethod]
    public void VaeTrainsOnTorchSharp()
    {
        var cli = new CliRunner();
        string data = cli.WriteData();
        string model = cli.PathOf("model.vae");
        (int code, string output, string error) = cli.Run("train", "--input", data, "--model", model, "--exclude", "id,label",
            "--hidden-layers", "8", "--epochs", "2", "--batch-size", "32", "--engine", "torchsharp", "--device", "cpu");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(output, "TorchSharp (cpu)");
        Assert.AreEqual(3, VaeTransformer.Load(model).FeatureCount);
    }

    [TestMethod]
    public void AMissingCudaDeviceIsAUsageError()
    {
        var cli = new CliRunner();
        (int code, _, string error) = cli.Run("train", "--input", cli.WriteData(), "--model", cli.PathOf("m.vae"), "--exclude", "id,label",
            "--engine", "torchsharp", "--device", "cuda");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "error: Cannot train on TorchSharp (cuda): CUDA requested ('cuda') but TorchSharp reports no CUDA device");
        Assert.IsFalse(File.Exists(cli.PathOf("m.vae")));
    }

    [TestMethod]
    public void AnUnknownDeviceIsAUsageError()
    {
        var cli = new CliRunner();
        (int code, _, string error) = cli.Run("train", "--input", cli.WriteData(), "--model", cli.PathOf("m.vae"), "--engine", "torchsharp", "--device", "gpu");
        Assert.AreEqual(1, code);
        StringAssert.Contains(error, "--device: Unknown TorchSharp device 'gpu'");
    }
}
