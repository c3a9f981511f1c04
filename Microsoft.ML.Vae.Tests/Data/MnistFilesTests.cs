using VaeMl.Examples;

namespace Microsoft.ML.Vae.Tests.Data;

[TestClass]
public sealed class MnistFilesTests
{
    [TestMethod]
    public void Ensure_UsesTheGivenDirectory_WithAnyPublishedNaming()
    {
        using var dir = new TempDirectory();
        dir.Write("train-images-idx3-ubyte", []);
        dir.Write("train-labels.idx1-ubyte.gz", []);
        dir.Write("t10k-images.idx3-ubyte", []);
        dir.Write("t10k-labels-idx1-ubyte.gz", []);

        var paths = MnistFiles.Ensure(dir.Path);

        Assert.AreEqual(Path.Combine(dir.Path, "train-images-idx3-ubyte"), paths.TrainImages);
        Assert.AreEqual(Path.Combine(dir.Path, "train-labels.idx1-ubyte.gz"), paths.TrainLabels);
        Assert.AreEqual(Path.Combine(dir.Path, "t10k-images.idx3-ubyte"), paths.TestImages);
        Assert.AreEqual(Path.Combine(dir.Path, "t10k-labels-idx1-ubyte.gz"), paths.TestLabels);
    }

    [TestMethod]
    public void Ensure_NamesTheDirectoryWhenFilesAreMissing()
    {
        using var dir = new TempDirectory();
        dir.Write("train-images-idx3-ubyte", []);

        var ex = Assert.ThrowsExactly<FileNotFoundException>(() => MnistFiles.Ensure(dir.Path));

        StringAssert.Contains(ex.Message, dir.Path);
        StringAssert.Contains(ex.Message, "t10k-labels-idx1-ubyte");
    }

    [TestMethod]
    public void Load_PairsImagesWithLabels()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("i", IdxFile.Images(3, 2, 2));
        string labels = dir.Write("l", IdxFile.Labels([4, 5, 6]));

        var split = MnistData.Load(images, labels, limit: 2);

        Assert.AreEqual(2, split.Count);
        CollectionAssert.AreEqual(new byte[] { 4, 5 }, split.Labels);
    }

    [TestMethod]
    public void Load_RejectsImageAndLabelCountMismatch()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("i", IdxFile.Images(3, 2, 2));
        string labels = dir.Write("l", IdxFile.Labels([4, 5]));

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => MnistData.Load(images, labels));

        StringAssert.Contains(ex.Message, images);
        StringAssert.Contains(ex.Message, labels);
    }
}
