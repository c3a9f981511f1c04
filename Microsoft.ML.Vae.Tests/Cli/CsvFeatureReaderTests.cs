using System.IO.Compression;
using System.Text;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class CsvFeatureReaderTests
{
    public TestContext TestContext { get; set; } = null!;

    private string Write(string name, string text)
    {
        string directory = Path.Combine(Path.GetTempPath(), "vae-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [TestMethod]
    public void ReadsSelectedFeaturesKeysAndLabels()
    {
        string path = Write("d.csv", "id;a;b;label\nr1;1.5;2;0\n\"r;2\";3;4e1;1\n");
        using CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection { Keys = ["id"], Label = "label" }, BadRowPolicy.Fail);
        CollectionAssert.AreEqual(new[] { "a", "b" }, reader.FeatureNames.ToArray());
        var features = new float[10];
        var labels = new bool[5];
        Assert.AreEqual(2, reader.ReadBlock(features, labels));
        CollectionAssert.AreEqual(new[] { 1.5f, 2f, 3f, 40f }, features[..4]);
        CollectionAssert.AreEqual(new[] { false, true }, labels[..2]);
        Assert.AreEqual("r;2", new string(reader.Keys.Get(1, 0)));
        Assert.AreEqual(0, reader.ReadBlock(features, labels));
    }

    [TestMethod]
    public void QuotedFieldsHoldDelimitersQuotesAndLineBreaksAndLinesStayCounted()
    {
        string path = Write("q.csv", "id,a\n\"x,1\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n\n\"k\",abc\n");
        using CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection { Keys = ["id"] }, BadRowPolicy.Fail);
        var values = new float[3];
        Assert.AreEqual(3, reader.ReadBlock(values));
        Assert.AreEqual("x,1", new string(reader.Keys.Get(0, 0)));
        Assert.AreEqual("say \"hi\"", new string(reader.Keys.Get(1, 0)));
        Assert.AreEqual("two\nlines", new string(reader.Keys.Get(2, 0)));
        var e = Assert.ThrowsExactly<CsvDataException>(() => reader.ReadBlock(values));
        Assert.AreEqual(7, e.Line, "the quoted line break and the blank line count");
    }

    [TestMethod]
    public void UnclosedQuoteIsAnErrorNamingTheFile()
    {
        string path = Write("uq.csv", "a,b\n1,2\n3,\"4\n5,6\n");
        using CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection(), BadRowPolicy.Skip);
        var e = Assert.ThrowsExactly<CsvDataException>(() => reader.ReadBlock(new float[10]));
        StringAssert.Contains(e.Message, "uq.csv");
    }

    [TestMethod]
    [DataRow("a;b;c\n1;2;3\n", ';')]
    [DataRow("a\tb\tc\n1\t2\t3\n", '\t')]
    [DataRow("a,b,c\n1,2,3\n", ',')]
    public void DetectsTheDelimiter(string text, char expected)
    {
        using CsvFeatureReader reader = CsvFeatureReader.Open(Write("d.csv", text), null, new ColumnSelection(), BadRowPolicy.Fail);
        Assert.AreEqual(expected, reader.Delimiter);
        Assert.AreEqual(3, reader.FeatureCount);
    }

    [TestMethod]
    public void ExcludeAndFeatureOrderAreHonoured()
    {
        string path = Write("d.csv", "id,a,b,c\n1,10,20,30\n");
        using (CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection { Exclude = ["id", "b"] }, BadRowPolicy.Fail))
        {
            CollectionAssert.AreEqual(new[] { "a", "c" }, reader.FeatureNames.ToArray());
        }

        using CsvFeatureReader ordered = CsvFeatureReader.Open(path, null, new ColumnSelection { Features = ["c", "a"] }, BadRowPolicy.Fail);
        var row = new float[2];
        Assert.AreEqual(1, ordered.ReadBlock(row));
        CollectionAssert.AreEqual(new[] { 30f, 10f }, row);
    }

    [TestMethod]
    public void ReadsGzipByExtension()
    {
        string path = Write("d.csv.gz", "");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes("a\tb\n1\t2\n3\t4\n"));
        }

        using CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection(), BadRowPolicy.Fail);
        var values = new float[8];
        Assert.AreEqual(2, reader.ReadBlock(values));
        Assert.AreEqual(4f, values[3]);
        Assert.AreEqual('\t', reader.Delimiter);
    }

    [TestMethod]
    public void NonNumericValueFailsNamingFileLineAndColumn()
    {
        string path = Write("bad.csv", "a,b\n1,2\n3,abc\n");
        using CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection(), BadRowPolicy.Fail);
        var e = Assert.ThrowsExactly<CsvDataException>(() => reader.ReadBlock(new float[20]));
        Assert.AreEqual(3, e.Line);
        StringAssert.Contains(e.Message, "bad.csv, line 3, column 'b' (#2)");
        StringAssert.Contains(e.Message, "'abc' is not a finite number");
    }

    [TestMethod]
    public void MissingValueAndShortRowFail()
    {
        string path = Write("m.csv", "a,b\n1,\n");
        using (CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection(), BadRowPolicy.Fail))
        {
            var e = Assert.ThrowsExactly<CsvDataException>(() => reader.ReadBlock(new float[4]));
            StringAssert.Contains(e.Message, "missing");
        }

        string shortRow = Write("s.csv", "a,b\n1\n");
        using CsvFeatureReader shortReader = CsvFeatureReader.Open(shortRow, null, new ColumnSelection(), BadRowPolicy.Fail);
        var e2 = Assert.ThrowsExactly<CsvDataException>(() => shortReader.ReadBlock(new float[4]));
        StringAssert.Contains(e2.Message, "expected 2 fields");
    }

    [TestMethod]
    public void SkipPolicyCountsBadRowsAndKeepsTheirLines()
    {
        string path = Write("s.csv", "a,b\n1,2\nx,2\n3,4\n5,NaN\n,\n7,8\n");
        using CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection(), BadRowPolicy.Skip);
        var values = new float[20];
        Assert.AreEqual(3, reader.ReadBlock(values));
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f, 7f, 8f }, values[..6]);
        Assert.AreEqual(3, reader.SkippedRowCount);
        CollectionAssert.AreEqual(new long[] { 3, 5, 6 }, reader.FirstSkipped.ToArray());
    }

    [TestMethod]
    public void UnknownColumnListsTheHeader()
    {
        string path = Write("u.csv", "a,b\n1,2\n");
        var e = Assert.ThrowsExactly<CsvDataException>(() => CsvFeatureReader.Open(path, null, new ColumnSelection { Features = ["z"] }, BadRowPolicy.Fail));
        StringAssert.Contains(e.Message, "'z'");
        StringAssert.Contains(e.Message, "Columns: a, b");
    }

    [TestMethod]
    public void EmptyFileAndMissingFileAreBadInput()
    {
        string empty = Write("e.csv", "");
        Assert.ThrowsExactly<CsvDataException>(() => CsvFeatureReader.Open(empty, null, new ColumnSelection(), BadRowPolicy.Fail));
        var e = Assert.ThrowsExactly<Microsoft.ML.Vae.Cli.CliException>(() =>
            CsvFeatureReader.Open(empty + ".nope", null, new ColumnSelection(), BadRowPolicy.Fail));
        Assert.AreEqual(2, e.ExitCode);
    }

    [TestMethod]
    public void LoaderBuildsOneMatrixAcrossChunks()
    {
        var text = new StringBuilder("a,b\n");
        for (int i = 0; i < 70_000; i++)
        {
            text.Append(i).Append(',').Append(-i).Append('\n');
        }

        string path = Write("big.csv", text.ToString());
        using CsvFeatureReader reader = CsvFeatureReader.Open(path, null, new ColumnSelection(), BadRowPolicy.Fail);
        FeatureMatrix matrix = FeatureMatrixLoader.Load(reader);
        Assert.AreEqual(70_000, matrix.RowCount);
        Assert.AreEqual(-69_999f, matrix.GetRow(69_999)[1]);
        CollectionAssert.AreEqual(new[] { "a", "b" }, matrix.ColumnNames!.ToArray());
    }
}
