namespace Microsoft.ML.Vae.Tests.Data;

[TestClass]
public sealed class IdxReaderTests
{
    [TestMethod]
    [DataRow("images")]
    [DataRow("images.gz")]
    public void ReadImages_RoundTripsPixelsScaledToUnitRange(string name)
    {
        using var dir = new TempDirectory();
        byte[] file = IdxFile.Images(3, 4, 5);
        string path = dir.Write(name, name.EndsWith(".gz", StringComparison.Ordinal) ? IdxFile.Gzip(file) : file);

        var images = IdxReader.ReadImages(path);

        Assert.AreEqual(3, images.Count);
        Assert.AreEqual(4, images.Height);
        Assert.AreEqual(5, images.Width);
        Assert.AreEqual(20, images.PixelCount);
        float[] pixels = images.Pixels.ToArray();
        Assert.HasCount(60, pixels);
        for (int i = 0; i < pixels.Length; i++)
        {
            Assert.AreEqual(file[16 + i] / 255f, pixels[i], 1e-7f, $"pixel {i}");
        }

        float[][] rows = images.ToRows();
        Assert.HasCount(3, rows);
        CollectionAssert.AreEqual(images.GetImage(2).ToArray(), rows[2]);
    }

    [TestMethod]
    public void ReadImages_ScalesFullByteRangeToZeroAndOne()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("images", IdxFile.Images(1, 1, 2, i => i == 0 ? (byte)0 : (byte)255));

        var images = IdxReader.ReadImages(path);

        CollectionAssert.AreEqual(new[] { 0f, 1f }, images.GetImage(0).ToArray());
    }

    [TestMethod]
    [DataRow("labels")]
    [DataRow("labels.GZ")]
    public void ReadLabels_RoundTrips(string name)
    {
        using var dir = new TempDirectory();
        byte[] labels = [7, 2, 1, 0, 4, 9];
        byte[] file = IdxFile.Labels(labels);
        string path = dir.Write(name, name.EndsWith(".GZ", StringComparison.Ordinal) ? IdxFile.Gzip(file) : file);

        CollectionAssert.AreEqual(labels, IdxReader.ReadLabels(path));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void MaxCount_ReadsOnlyTheFirstItems(bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] images = IdxFile.Images(5, 2, 2);
        byte[] labels = IdxFile.Labels([1, 2, 3, 4, 5]);
        string imagesPath = dir.Write(gzip ? "i.gz" : "i", gzip ? IdxFile.Gzip(images) : images);
        string labelsPath = dir.Write(gzip ? "l.gz" : "l", gzip ? IdxFile.Gzip(labels) : labels);

        var read = IdxReader.ReadImages(imagesPath, maxCount: 2);

        Assert.AreEqual(2, read.Count);
        Assert.AreEqual(images[16 + 7] / 255f, read.GetImage(1)[3], 1e-7f);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, IdxReader.ReadLabels(labelsPath, maxCount: 3));
    }

    [TestMethod]
    public void ReadImages_RejectsLabelsFileByMagicNumber()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("labels-not-images", IdxFile.Labels(new byte[32]));

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "0x00000801");
    }

    [TestMethod]
    public void ReadLabels_RejectsImagesFileByMagicNumber()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("images-not-labels", IdxFile.Images(2, 2, 2));

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "magic");
    }

    [TestMethod]
    public void ReadImages_RejectsForeignFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("readme.txt", "This is not an IDX file at all."u8.ToArray());

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(ex.Message, path);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(3)]
    [DataRow(15)]
    [DataRow(16)]
    [DataRow(17)]
    [DataRow(63)]
    public void ReadImages_RejectsTruncatedFile(int length)
    {
        using var dir = new TempDirectory();
        byte[] whole = IdxFile.Images(4, 4, 4);      // 16 + 64 bytes
        string path = dir.Write("truncated", whole[..length]);

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "truncated");
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(7)]
    [DataRow(9)]
    public void ReadLabels_RejectsTruncatedFile(int length)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("truncated-labels", IdxFile.Labels([1, 2, 3])[..length]);

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "truncated");
    }

    [TestMethod]
    [DataRow(10, "truncated")]
    [DataRow(2, "after")]
    public void ReadImages_RejectsCountThatDisagreesWithLength(int declaredCount, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("count", IdxFile.Images(3, 2, 2, declaredCount: declaredCount));

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, expected);
    }

    [TestMethod]
    [DataRow(false, int.MaxValue)]
    [DataRow(true, 2_000_000)]          // 1.5 GB declared: the reader must not allocate it up front
    public void ReadImages_HugeDeclaredCountFailsWithoutAllocatingIt(bool gzip, int declaredCount)
    {
        using var dir = new TempDirectory();
        byte[] file = IdxFile.Images(2, 28, 28, declaredCount: declaredCount);
        string path = dir.Write(gzip ? "huge.gz" : "huge", gzip ? IdxFile.Gzip(file) : file);

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "truncated");
    }

    [TestMethod]
    public void Gzip_CountBeyondOneArrayAsksForMaxCount()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("huge.gz", IdxFile.Gzip(IdxFile.Images(2, 28, 28, declaredCount: int.MaxValue)));

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "maxCount");
    }

    [TestMethod]
    public void ReadImages_RejectsNegativeOrZeroDimensions()
    {
        using var dir = new TempDirectory();
        string negative = dir.Write("negative", IdxFile.Images(0, 2, 2, declaredCount: -1));
        string zero = dir.Write("zero", IdxFile.Images(1, 0, 3));

        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(negative)).Message, "negative");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(zero)).Message, "0x3");
    }

    [TestMethod]
    public void Gzip_RejectsTruncatedCompressedData()
    {
        using var dir = new TempDirectory();
        byte[] compressed = IdxFile.Gzip(IdxFile.Images(50, 8, 8));
        string path = dir.Write("cut.gz", compressed[..(compressed.Length / 2)]);

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(ex.Message, path);
    }

    [TestMethod]
    public void Gzip_RejectsFileThatIsNotGzip()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("plain-named.gz", IdxFile.Images(2, 2, 2));

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadImages(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "gzip");
    }

    [TestMethod]
    public void Gzip_RejectsTrailingBytesAfterDeclaredData()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("extra.gz", IdxFile.Gzip(IdxFile.Labels([1, 2, 3], declaredCount: 2)));

        var ex = Assert.ThrowsExactly<InvalidDataException>(() => IdxReader.ReadLabels(path));

        StringAssert.Contains(ex.Message, path);
        StringAssert.Contains(ex.Message, "after");
    }

    [TestMethod]
    public void MissingFile_ThrowsFileNotFound()
    {
        string path = Path.Combine(Path.GetTempPath(), "vaeml-no-such-file-" + Guid.NewGuid().ToString("N"));

        var ex = Assert.ThrowsExactly<FileNotFoundException>(() => IdxReader.ReadLabels(path));

        Assert.AreEqual(path, ex.FileName);
    }

    [TestMethod]
    public void GetImage_RejectsIndexOutOfRange()
    {
        using var dir = new TempDirectory();
        var images = IdxReader.ReadImages(dir.Write("images", IdxFile.Images(2, 2, 2)));

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => images.GetImage(2));
    }
}
