using System.Security.Cryptography;
using Microsoft.ML.Vae.Tests.Cli;

namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>
/// Mutated model files: each load ends in a model or a <see cref="VaeModelFormatException"/> (a loaded model then
/// scores), within the time and memory limits; the CLI ends in exit code 0 or 3. Counts go to the test output and the
/// CLI README.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ModelFileFuzzTests
{
    private const int Seed = 2026;
    private const int MutatedInputs = 2400;
    private const int RehashedInputs = 1200;
    private const int CliInputs = 200;

    public TestContext TestContext { get; set; } = null!;

    private static byte[] ModelBytes(VaeTransformer model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    private static readonly Lazy<byte[][]> s_valid = new(() =>
    [
        ModelBytes(TestModels.Small),
        ModelBytes(new VaeEstimator(new VaeOptions { HiddenLayers = [4], LatentDimension = 1, Epochs = 2, ValidationFraction = 0.25f, Seed = 3, ThreadCount = 1 })
            .Fit(FeatureMatrix.FromRows(SyntheticData.Manifold(40, 3, seed: 51), ["alpha", "beta", "gamma"]))),
    ]);

    /// <summary>Loads <paramref name="bytes"/>; a loaded model must also score a row of its width.</summary>
    private static string Load(byte[] bytes)
    {
        try
        {
            VaeTransformer model = VaeTransformer.Load(new MemoryStream(bytes));
            float[] row = new float[model.FeatureCount];
            _ = model.Transform([row]);
            return "loaded and scored";
        }
        catch (VaeModelFormatException)
        {
            return nameof(VaeModelFormatException);
        }
    }

    private static bool Allowed(string outcome) => outcome is "loaded and scored" or nameof(VaeModelFormatException);

    [TestMethod]
    public void MutatedModelFilesLoadOrFailWithTheFormatException()
    {
        var campaign = new FuzzCampaign("model files", Allowed);
        var mutator = new Mutator(Seed);
        foreach ((byte[] bytes, string what) in Mutator.OtherFormats())
        {
            campaign.Run(what, () => Load(bytes));
        }

        campaign.Run("8 MB of random bytes", () => Load(mutator.Bytes(8 << 20)));
        campaign.Run("the VaeMl signature then 8 MB of random bytes", () => Load([.. "VAEMLMDL"u8, .. mutator.Bytes(8 << 20)]));
        for (int i = 0; i < MutatedInputs; i++)
        {
            byte[] original = s_valid.Value[i % s_valid.Value.Length];
            (byte[] bytes, string what) = mutator.Mutate(original);
            campaign.Run($"input {i}: {what}", () => Load(bytes));
        }

        for (int i = 0; i < RehashedInputs; i++)
        {
            byte[] original = s_valid.Value[i % s_valid.Value.Length];
            (byte[] bytes, string what) = mutator.Mutate(original);
            if (Rehash(bytes))
            {
                campaign.Run($"rehashed input {i}: {what}", () => Load(bytes));
            }
        }

        TestContext.WriteLine(campaign.ToString());
        Assert.IsGreaterThan(3000, campaign.Count);
    }

    [TestMethod]
    public void TheCliAnswersMutatedModelFilesWithExitCodeZeroOrThree()
    {
        var cli = new CliRunner();
        var campaign = new FuzzCampaign("model files through vae inspect", outcome => outcome is "exit 0" or "exit 3");
        var mutator = new Mutator(Seed + 1);
        string path = cli.PathOf("fuzz.vae");
        for (int i = 0; i < CliInputs; i++)
        {
            (byte[] bytes, string what) = mutator.Mutate(s_valid.Value[i % s_valid.Value.Length]);
            if (i % 2 == 1 && Rehash(bytes))
            {
                what = "rehashed, " + what;
            }

            File.WriteAllBytes(path, bytes);
            campaign.Run($"input {i}: {what}", () => $"exit {cli.Run("inspect", "--model", path, "--json").ExitCode}");
        }

        TestContext.WriteLine(campaign.ToString());
    }

    /// <summary>
    /// Sets the header's payload length and the checksum to fit <paramref name="bytes"/>, so that only the payload parser
    /// stands between a corrupt field and an allocation; false when the input is too short to have both.
    /// </summary>
    private static bool Rehash(byte[] bytes)
    {
        const int Header = 20, Digest = 32;
        if (bytes.Length < Header + Digest)
        {
            return false;
        }

        BitConverter.TryWriteBytes(bytes.AsSpan(12), (ulong)(bytes.Length - Header - Digest));
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - Digest)).CopyTo(bytes, bytes.Length - Digest);
        return true;
    }
}
