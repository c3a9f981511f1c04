using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.ML.Vae.Serialization;

namespace Microsoft.ML.Vae.Tests.Serialization;

[TestClass]
public sealed class ModelFileTests
{
    private static readonly Lazy<VaeTransformer> s_tiny = new(() =>
    {
        var options = new VaeOptions { HiddenLayers = [4], LatentDimension = 1, Epochs = 2, BatchSize = 16, Seed = 3, ThreadCount = 1, ValidationFraction = 0.25f };
        float[][] rows = SyntheticData.Manifold(40, 3, seed: 51);
        return new VaeEstimator(options).Fit(FeatureMatrix.FromRows(rows, ["alpha", "beta", "gamma"]));
    });

    private static byte[] TinyBytes()
    {
        using var stream = new MemoryStream();
        s_tiny.Value.Save(stream);
        return stream.ToArray();
    }

    private static readonly string s_root = Path.Combine(Path.GetTempPath(), "vaeml-tests", Guid.NewGuid().ToString("N"));

    [ClassCleanup]
    public static void RemoveTemporaryFiles()
    {
        if (Directory.Exists(s_root))
        {
            Directory.Delete(s_root, recursive: true);
        }
    }

    private static string TempDirectory()
    {
        string directory = Path.Combine(s_root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    [TestMethod]
    [OSCondition(OperatingSystems.Linux | OperatingSystems.OSX)]
    public void SavingOverAFileKeepsItsPermissions()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no Unix permissions (and the OSCondition skips it anyway)
        }

        string path = Path.Combine(TempDirectory(), "kept.vae");
        File.WriteAllText(path, "an older model");
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, Mode);
        s_tiny.Value.Save(path);
        Assert.AreEqual(Mode, File.GetUnixFileMode(path));
        Assert.AreEqual(3, VaeTransformer.Load(path).FeatureCount, "the new model replaced the old file");
    }

    [TestMethod]
    public void SaveThenLoadGivesTheSameModel()
    {
        VaeTransformer model = TestModels.Small;
        string path = Path.Combine(TempDirectory(), "model.vae");
        model.Save(path);
        VaeTransformer loaded = VaeTransformer.Load(path);

        CollectionAssert.AreEqual(model.Network.Parameters, loaded.Network.Parameters);
        CollectionAssert.AreEqual(model.Scaler.Offset, loaded.Scaler.Offset);
        CollectionAssert.AreEqual(model.Scaler.Scale, loaded.Scaler.Scale);
        Assert.AreEqual(model.Threshold, loaded.Threshold);
        Assert.AreEqual(model.Options.LatentDimension, loaded.Options.LatentDimension);
        CollectionAssert.AreEqual(model.Options.HiddenLayers.ToArray(), loaded.Options.HiddenLayers.ToArray());
        Assert.AreEqual(model.Options with { HiddenLayers = [] }, loaded.Options with { HiddenLayers = [] });
        Assert.AreEqual(model.TrainingSummary.EpochsRun, loaded.TrainingSummary.EpochsRun);
        Assert.AreEqual(model.TrainingSummary.FinalLoss, loaded.TrainingSummary.FinalLoss);
        CollectionAssert.AreEqual(model.TrainingSummary.History.Select(Untimed).ToList(), loaded.TrainingSummary.History.ToList());
        CollectionAssert.AreEqual(model.TrainingSummary.LatentKlDivergence.ToArray(), loaded.TrainingSummary.LatentKlDivergence.ToArray());
        CollectionAssert.AreEqual(model.TrainingSummary.LatentMeanVariance.ToArray(), loaded.TrainingSummary.LatentMeanVariance.ToArray());

        float[] expected = model.Transform(TestModels.SmallRows).Select(p => p.Score).ToArray();
        float[] actual = loaded.Transform(TestModels.SmallRows).Select(p => p.Score).ToArray();
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void FeatureNamesAndValidationLossSurviveTheRoundTrip()
    {
        VaeTransformer loaded = VaeTransformer.Load(new MemoryStream(TinyBytes()));
        CollectionAssert.AreEqual(new[] { "alpha", "beta", "gamma" }, loaded.FeatureNames!.ToArray());
        Assert.AreEqual(s_tiny.Value.TrainingSummary.FinalValidationLoss, loaded.TrainingSummary.FinalValidationLoss);
        Assert.AreEqual(s_tiny.Value.TrainingSummary.TrainingRowCount, loaded.TrainingSummary.TrainingRowCount);
    }

    [TestMethod]
    public void SavingReplacesAtomicallyAndLeavesNoTemporaryFile()
    {
        string directory = TempDirectory();
        string path = Path.Combine(directory, "model.vae");
        File.WriteAllText(path, "an older file");
        TestModels.Small.Save(path);
        Assert.AreEqual(TestModels.Small.Threshold, VaeTransformer.Load(path).Threshold);
        CollectionAssert.AreEqual(new[] { "model.vae" }, Directory.GetFiles(directory).Select(Path.GetFileName).ToArray());
    }

    [TestMethod]
    public void EveryTruncationIsAFormatError()
    {
        byte[] bytes = TinyBytes();
        for (int length = 0; length < bytes.Length; length++)
        {
            var e = Assert.ThrowsExactly<VaeModelFormatException>(() => VaeTransformer.Load(new MemoryStream(bytes, 0, length)), $"length {length}");
            Assert.IsFalse(string.IsNullOrWhiteSpace(e.Message));
        }
    }

    [TestMethod]
    public void EveryFlippedByteIsAFormatError()
    {
        byte[] bytes = TinyBytes();
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] corrupt = (byte[])bytes.Clone();
            corrupt[i] ^= (byte)(1 << (i % 8));
            Assert.ThrowsExactly<VaeModelFormatException>(() => VaeTransformer.Load(new MemoryStream(corrupt)), $"byte {i}");
        }
    }

    [TestMethod]
    public void ForeignFilesAreFormatErrors()
    {
        byte[][] foreign =
        [
            [],
            "hello, world"u8.ToArray(),
            [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13],
            new byte[4096],
        ];
        foreach (byte[] bytes in foreign)
        {
            var e = Assert.ThrowsExactly<VaeModelFormatException>(() => VaeTransformer.Load(new MemoryStream(bytes)));
            StringAssert.Contains(e.Message, "not a VaeMl model");
        }
    }

    [TestMethod]
    public void NewerFormatVersionSaysToUpgrade()
    {
        byte[] bytes = TinyBytes();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), ModelFile.FormatVersion + 1);
        Rehash(bytes);
        var e = Assert.ThrowsExactly<VaeModelFormatException>(() => VaeTransformer.Load(new MemoryStream(bytes)));
        StringAssert.Contains(e.Message, "newer");
    }

    [TestMethod]
    public void HugeCountsWithAValidChecksumAreRejectedWithoutAllocating()
    {
        // Overwrite the latent dimension's hidden-layer count (the second field after the version string) with
        // int.MaxValue and fix the checksum, so only the payload parser stands between the count and an allocation.
        byte[] bytes = TinyBytes();
        int versionLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20));
        int hiddenCountOffset = 20 + 4 + versionLength + 4;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(hiddenCountOffset), int.MaxValue);
        Rehash(bytes);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsExactly<VaeModelFormatException>(() => VaeTransformer.Load(new MemoryStream(bytes)));
        Assert.IsLessThan(1_000_000, GC.GetAllocatedBytesForCurrentThread() - before);
        StringAssert.Contains(e.Message, "hidden layer count");
    }

    [TestMethod]
    public void LoadingByPathNamesTheFile()
    {
        string path = Path.Combine(TempDirectory(), "broken.vae");
        File.WriteAllBytes(path, TinyBytes()[..50]);
        var e = Assert.ThrowsExactly<VaeModelFormatException>(() => VaeTransformer.Load(path));
        StringAssert.Contains(e.Message, path);
        StringAssert.Contains(e.Message, "truncated");
    }

    [TestMethod]
    public void ColumnNamesRoundTrip()
    {
        VaeTransformer renamed = new VaeEstimator(s_tiny.Value.Options with { FeatureColumnName = "X", ScoreColumnName = "S", PredictedLabelColumnName = "L" })
            .Fit(SyntheticData.Manifold(40, 3, seed: 51));
        using var stream = new MemoryStream();
        renamed.Save(stream);
        VaeOptions loaded = VaeTransformer.Load(new MemoryStream(stream.ToArray())).Options;
        Assert.AreEqual("X", loaded.FeatureColumnName);
        Assert.AreEqual("S", loaded.ScoreColumnName);
        Assert.AreEqual("L", loaded.PredictedLabelColumnName);
        Assert.AreEqual("LatentMean", loaded.LatentMeanColumnName);
    }

    /// <summary>
    /// A model saved in format version 2 by the previous release (options as the tiny model's, ScoreColumnName "S",
    /// feature names alpha, beta, gamma; 40 rows t = i / 40 of (t, 2t + 0.1 (i mod 3), 1 - t^2)).
    /// </summary>
    private const string FormatTwoModel =
        "VkFFTUxNREwCAAAALQIAAAAAAAAHAAAAMC4xLjAuMAEAAAABAAAABAAAAAAAAAABAAAAAgAAABAAAABvEoM6AACAPwAAAAAAAIA+AAAAAAAAAAAK1yM8AwAAAAEAAAADAAAAAQUAAABhbHBoYQQAAABiZXRhBQAAAGdhbW1hAAAAAAAAAABgPUo9mpl5P2ZmBkAqXHM/MQAAADC2tj4eAIc+64oEv8d9cT0gBQu+ThI7vjliCL9jXco+2CdSP5O1D79NiUk/M9aoPm0BcDu3JFw7RBp0OzAIfbuye6Q++aAPP6MTzj71jFm/ehh/O/vGVr9qFFe/W3NePxFf6z7tvjc7YpBgPvecrzzsWDk9Qo14v3jjf7oh5z27Jm9eO58SeLuz90M/kYxjP1gNNj72iEA/WjQZv094Tr3Hk2e/8U4oP3XY3T7wAAe/0tpbP4boLj9YsHI7xQl+u846WDuBsH8+AgAAAAIAAAAeAAAASE0MQMZeCkD6QPc8+FUHQAIAAAABAAAAvS0KQGEpCEDjFgE9z2AHQAAAgD8JfYXxO/6BQIgFCAAAAAAAAgAAAEhNDEDGXgpA+kD3PPhVB0AAAIA/ugv+Ks54EUF2CwgAAAAAAAgAAABGZWF0dXJlcwoAAABMYXRlbnRNZWFuEQAAAExhdGVudExvZ1ZhcmlhbmNlDgAAAFJlY29uc3RydWN0aW9uEwAAAFJlY29uc3RydWN0aW9uRXJyb3IBAAAAUw4AAABQcmVkaWN0ZWRMYWJlbCWc52Y8sMz7++eXhg5pDG0BDn8OCDTwBkKohsUwVQNk";

    /// <summary>Format version 2 stored epoch timings and no latent usage: such files load with both as they were.</summary>
    [TestMethod]
    public void VersionTwoFilesOfThePreviousReleaseLoadAndResaveAsTheCurrentVersion()
    {
        byte[] bytes = Convert.FromBase64String(FormatTwoModel);
        Assert.AreEqual(2u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        VaeTransformer loaded = VaeTransformer.Load(new MemoryStream(bytes));
        Assert.AreEqual(0.24969675f, loaded.Threshold);
        Assert.AreEqual(0.01658384f, loaded.Transform([[0.5f, 1f, 0.75f]])[0].Score);
        Assert.AreEqual("S", loaded.Options.ScoreColumnName);
        CollectionAssert.AreEqual(new[] { "alpha", "beta", "gamma" }, loaded.FeatureNames!.ToArray());
        Assert.HasCount(2, loaded.TrainingSummary.History);
        Assert.IsTrue(loaded.TrainingSummary.History.All(h => h.SamplesPerSecond > 0 && h.Elapsed > TimeSpan.Zero));
        Assert.IsEmpty(loaded.TrainingSummary.LatentKlDivergence);
        Assert.IsFalse(loaded.TrainingSummary.PosteriorCollapse, "not measured is not collapsed");

        using var resaved = new MemoryStream();
        loaded.Save(resaved);
        byte[] current = resaved.ToArray();
        Assert.AreEqual((uint)ModelFile.FormatVersion, BinaryPrimitives.ReadUInt32LittleEndian(current.AsSpan(8)));
        VaeTransformer again = VaeTransformer.Load(new MemoryStream(current));
        Assert.AreEqual(loaded.Threshold, again.Threshold);
        CollectionAssert.AreEqual(loaded.Network.Parameters, again.Network.Parameters);
        CollectionAssert.AreEqual(loaded.TrainingSummary.History.Select(Untimed).ToList(), again.TrainingSummary.History.ToList());
    }

    /// <summary>Format version 1 had no column names: such files load with the default names.</summary>
    [TestMethod]
    public void VersionOneFilesLoadWithTheDefaultColumnNames()
    {
        byte[] current = Convert.FromBase64String(FormatTwoModel);
        VaeTransformer two = VaeTransformer.Load(new MemoryStream(current));
        string[] names = [two.Options.FeatureColumnName, .. two.Options.OutputColumnNames];
        int namesLength = names.Sum(n => 4 + System.Text.Encoding.UTF8.GetByteCount(n));
        VaeTransformer loaded = VaeTransformer.Load(new MemoryStream(AsOlderVersion(current, 1, namesLength)));
        Assert.AreEqual("Score", loaded.Options.ScoreColumnName);
        Assert.AreEqual(two.Threshold, loaded.Threshold);
    }

    /// <summary>Nothing measured by a clock goes into the file: the same data, options and seed give the same bytes.</summary>
    [TestMethod]
    public void TheSameTrainingGivesTheSameBytes()
    {
        byte[] Train()
        {
            VaeTransformer model = new VaeEstimator(s_tiny.Value.Options).Fit(FeatureMatrix.FromRows(SyntheticData.Manifold(40, 3, seed: 51), ["alpha", "beta", "gamma"]));
            using var stream = new MemoryStream();
            model.Save(stream);
            return stream.ToArray();
        }

        CollectionAssert.AreEqual(Train(), Train());
    }

    private static VaeEpochReport Untimed(VaeEpochReport report) => report with { SamplesPerSecond = 0, Elapsed = TimeSpan.Zero };

    /// <summary>Formats 2 and 3 had no score kind and no trimming, step or noise options: such files load with the defaults.</summary>
    [TestMethod]
    public void VersionTwoAndThreeFilesLoadWithTheDefaultScoreAndTraining()
    {
        VaeTransformer two = VaeTransformer.Load(new MemoryStream(Convert.FromBase64String(FormatTwoModel)));
        Assert.AreEqual(ScoreKind.ReconstructionError, two.Options.ScoreKind);
        Assert.AreEqual(0f, two.Options.TrimFraction);
        Assert.AreEqual(0, two.Options.TrainingSteps);
        Assert.AreEqual(0f, two.Options.InputNoise);

        VaeTransformer model = new VaeEstimator(s_tiny.Value.Options with { ScoreColumnName = "S" }).Fit(SyntheticData.Manifold(40, 3, seed: 52));
        VaeTransformer loaded = VaeTransformer.Load(new MemoryStream(AsOlderVersion(model, 3, VersionFourLength + VersionFiveLength)));
        Assert.AreEqual("S", loaded.Options.ScoreColumnName);
        Assert.AreEqual(ScoreKind.ReconstructionError, loaded.Options.ScoreKind);
        Assert.AreEqual(0f, loaded.Options.TrimFraction);
        Assert.AreEqual(model.Threshold, loaded.Threshold);
        CollectionAssert.AreEqual(model.TrainingSummary.LatentKlDivergence.ToArray(), loaded.TrainingSummary.LatentKlDivergence.ToArray());
    }

    [TestMethod]
    public void ScoreKindAndTrainingOptionsRoundTrip()
    {
        var options = s_tiny.Value.Options with
        {
            ReconstructionLoss = ReconstructionLoss.Gaussian, ScoreKind = ScoreKind.NegativeElbo, TrimFraction = 0.1f, TrainingSteps = 7, InputNoise = 0.05f,
        };
        float[][] rows = SyntheticData.Manifold(40, 3, seed: 53);
        VaeTransformer model = new VaeEstimator(options).Fit(rows);
        using var stream = new MemoryStream();
        model.Save(stream);
        VaeTransformer loaded = VaeTransformer.Load(new MemoryStream(stream.ToArray()));
        Assert.AreEqual(options with { }, loaded.Options with { HiddenLayers = options.HiddenLayers });
        CollectionAssert.AreEqual(model.Transform(rows).Select(p => p.Score).ToArray(), loaded.Transform(rows).Select(p => p.Score).ToArray());
    }

    [TestMethod]
    public void VersionFourFilesLoadAsOneNetwork()
    {
        VaeTransformer model = new VaeEstimator(s_tiny.Value.Options with { TrimFraction = 0.1f }).Fit(SyntheticData.Manifold(40, 3, seed: 54));
        VaeTransformer loaded = VaeTransformer.Load(new MemoryStream(AsOlderVersion(model, 4, VersionFiveLength)));
        Assert.AreEqual(1, loaded.Options.EnsembleSize);
        Assert.IsEmpty(loaded.EnsembleNetworks);
        Assert.AreEqual(0.1f, loaded.Options.TrimFraction);
        float[][] rows = SyntheticData.Manifold(10, 3, seed: 55);
        CollectionAssert.AreEqual(model.Transform(rows).Select(p => p.Score).ToArray(), loaded.Transform(rows).Select(p => p.Score).ToArray());
    }

    [TestMethod]
    public void EnsembleRoundTrips()
    {
        var options = s_tiny.Value.Options with { EnsembleSize = 3, EnsembleSampleFraction = 0.6f };
        float[][] rows = SyntheticData.Manifold(40, 3, seed: 56);
        VaeTransformer model = new VaeEstimator(options).Fit(rows);
        using var stream = new MemoryStream();
        model.Save(stream);
        VaeTransformer loaded = VaeTransformer.Load(new MemoryStream(stream.ToArray()));
        Assert.AreEqual(3, loaded.Options.EnsembleSize);
        Assert.AreEqual(0.6f, loaded.Options.EnsembleSampleFraction);
        Assert.HasCount(2, loaded.EnsembleNetworks);
        for (int i = 0; i < 2; i++)
        {
            CollectionAssert.AreEqual(model.EnsembleNetworks[i].Parameters.ToArray(), loaded.EnsembleNetworks[i].Parameters.ToArray());
        }

        CollectionAssert.AreEqual(model.Transform(rows).Select(p => p.Score).ToArray(), loaded.Transform(rows).Select(p => p.Score).ToArray());
        Assert.AreEqual(model.Threshold, loaded.Threshold);
    }

    [TestMethod]
    public void AnEnsembleSizeOutOfRangeIsAFormatError()
    {
        VaeTransformer model = new VaeEstimator(s_tiny.Value.Options).Fit(SyntheticData.Manifold(40, 3, seed: 57));
        using var stream = new MemoryStream();
        model.Save(stream);
        byte[] bytes = stream.ToArray();
        const int Digest = 32;
        int sizeOffset = bytes.Length - Digest - VersionFiveLength;
        Assert.AreEqual(1, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(sizeOffset)));
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(sizeOffset), 0);
        Rehash(bytes);
        VaeModelFormatException e = Assert.ThrowsExactly<VaeModelFormatException>(() => VaeTransformer.Load(new MemoryStream(bytes)));
        StringAssert.Contains(e.Message, "EnsembleSize");
    }

    /// <summary>Bytes format version 4 added at the end of the payload: score kind, training steps, trim fraction, input noise.</summary>
    private const int VersionFourLength = 16;

    /// <summary>Bytes format version 5 added at the end of a one-network model's payload: ensemble size and sample fraction.</summary>
    private const int VersionFiveLength = 8;

    /// <summary>The model's file as an older format version wrote it: the payload's last <paramref name="newerBytes"/> cut off.</summary>
    private static byte[] AsOlderVersion(VaeTransformer model, uint version, int newerBytes)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return AsOlderVersion(stream.ToArray(), version, newerBytes);
    }

    /// <summary>A model file's bytes as an older format version wrote them: the payload's last <paramref name="newerBytes"/> cut off.</summary>
    private static byte[] AsOlderVersion(byte[] current, uint version, int newerBytes)
    {
        const int Header = 20, Digest = 32;
        byte[] old = new byte[current.Length - newerBytes];
        current.AsSpan(0, old.Length - Digest).CopyTo(old);
        BinaryPrimitives.WriteUInt32LittleEndian(old.AsSpan(8), version);
        BinaryPrimitives.WriteUInt64LittleEndian(old.AsSpan(12), (ulong)(old.Length - Header - Digest));
        Rehash(old);
        return old;
    }

    private static void Rehash(byte[] bytes)
    {
        int content = bytes.Length - 32;
        SHA256.HashData(bytes.AsSpan(0, content)).CopyTo(bytes, content);
    }
}
