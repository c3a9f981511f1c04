using System.Globalization;
using System.IO.Compression;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Cli.Parquet;
using Parquet;
using Parquet.Schema;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>
/// Parquet inputs and outputs of <c>vae</c>: the same rows as the CSV of <see cref="CliRunner.WriteData"/> give the
/// same models and scores, row groups are read in order, bad values and columns give errors naming the file, the row
/// and the column, and <c>score</c> writes a Parquet file other readers can open.
/// </summary>
[TestClass]
public sealed class ParquetTests
{
    /// <summary>The rows of <see cref="CliRunner.WriteData"/> (id, a, b, c, label) read back from its CSV.</summary>
    internal static List<(string Id, float A, float B, float C, int Label)> Rows(string csv) =>
        [.. File.ReadLines(csv).Skip(1).Select(line => line.Split(',')).Select(f =>
            (f[0], float.Parse(f[1], CultureInfo.InvariantCulture), float.Parse(f[2], CultureInfo.InvariantCulture),
             float.Parse(f[3], CultureInfo.InvariantCulture), int.Parse(f[4], CultureInfo.InvariantCulture)))];

    /// <summary>
    /// Writes <paramref name="rows"/> as Parquet in row groups of <paramref name="groupRows"/>: id as string, a as
    /// float, b as double, c as a nullable float (nulls where <paramref name="nullAt"/> says), label as int; pages
    /// compressed with <paramref name="compression"/>.
    /// </summary>
    internal static string WriteParquet(string path, IReadOnlyList<(string Id, float A, float B, float C, int Label)> rows, int groupRows,
        Func<int, bool>? nullAt = null, CompressionMethod compression = CompressionMethod.Snappy)
    {
        var id = new DataField<string>("id");
        var a = new DataField<float>("a");
        var b = new DataField<double>("b");
        var c = new DataField<float?>("c");
        var label = new DataField<int>("label");
        using FileStream file = File.Create(path);
        ParquetWriter writer = ParquetWriter.CreateAsync(new ParquetSchema(id, a, b, c, label), file,
            new ParquetOptions { CompressionMethod = compression }).GetAwaiter().GetResult();
        for (int start = 0; start < rows.Count; start += groupRows)
        {
            var group = rows.Skip(start).Take(groupRows).ToArray();
            using ParquetRowGroupWriter groupWriter = writer.CreateRowGroup();
            groupWriter.WriteAsync(id, group.Select(r => r.Id).ToArray()).GetAwaiter().GetResult();
            groupWriter.WriteAsync(a, new ReadOnlyMemory<float>([.. group.Select(r => r.A)])).GetAwaiter().GetResult();
            groupWriter.WriteAsync(b, new ReadOnlyMemory<double>([.. group.Select(r => (double)r.B)])).GetAwaiter().GetResult();
            groupWriter.WriteAsync(c, new ReadOnlyMemory<float?>([.. group.Select((r, i) => nullAt?.Invoke(start + i) == true ? null : (float?)r.C)])).GetAwaiter().GetResult();
            groupWriter.WriteAsync(label, new ReadOnlyMemory<int>([.. group.Select(r => r.Label)])).GetAwaiter().GetResult();
        }

        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return path;
    }

    [TestMethod]
    public void TrainScoreAndEvaluateGiveTheSameResultsAsTheCsv()
    {
        var cli = new CliRunner();
        string csv = cli.WriteData(rows: 200);
        string parquet = WriteParquet(cli.PathOf("data.parquet"), Rows(csv), groupRows: 64);

        string fromCsv = cli.Train(csv, "csv.vae");
        string fromParquet = cli.Train(parquet, "parquet.vae");
        CollectionAssert.AreEqual(File.ReadAllBytes(fromCsv), File.ReadAllBytes(fromParquet), "the same rows train the same model");

        (int code, _, string error) = cli.Run("score", "-m", fromCsv, "-i", csv, "-o", cli.PathOf("csv-scores.csv"), "--keep", "id", "--top-features", "2", "--quiet");
        Assert.AreEqual(0, code, error);
        (code, _, error) = cli.Run("score", "-m", fromCsv, "-i", parquet, "-o", cli.PathOf("parquet-scores.csv"), "--keep", "id", "--top-features", "2", "--quiet");
        Assert.AreEqual(0, code, error);
        CollectionAssert.AreEqual(File.ReadAllBytes(cli.PathOf("csv-scores.csv")), File.ReadAllBytes(cli.PathOf("parquet-scores.csv")));

        (code, string csvMetrics, _) = cli.Run("evaluate", "-m", fromCsv, "-i", csv, "--label", "label", "--json", "--quiet");
        Assert.AreEqual(0, code);
        (code, string parquetMetrics, error) = cli.Run("evaluate", "-m", fromCsv, "-i", parquet, "--label", "label", "--json", "--quiet");
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(csvMetrics, parquetMetrics);

        (code, _, error) = cli.Run("report", "-m", fromCsv, "-i", parquet, "-o", cli.PathOf("report.html"), "--quiet");
        Assert.AreEqual(0, code, error);
    }

    [TestMethod]
    public void NumericLabelsOtherThanZeroAndOneAreBadRows()
    {
        var cli = new CliRunner();
        var rows = Rows(cli.WriteData(rows: 10)).Select((r, i) => r with { Label = i switch { 3 => 2, 7 => -1, _ => i % 2 } }).ToList();
        string path = WriteParquet(cli.PathOf("int-labels.parquet"), rows, groupRows: 4);
        using FeatureReader reader = FeatureInput.Open(path, null, new ColumnSelection { Label = "label" }, BadRowPolicy.Skip);
        var features = new float[10 * 3];
        var labels = new bool[10];
        int n = reader.ReadBlock(features, labels);
        Assert.AreEqual(8, n);
        CollectionAssert.AreEqual(new long[] { 4, 8 }, reader.FirstSkipped.ToArray());
        CollectionAssert.AreEqual(new[] { false, true, false, false, true, false, false, true }, labels[..n], "rows 0-2, 4-6, 8-9");
        using FeatureReader failing = FeatureInput.Open(path, null, new ColumnSelection { Label = "label" }, BadRowPolicy.Fail);
        var e = Assert.ThrowsExactly<ParquetDataException>(() => failing.ReadBlock(features, labels));
        StringAssert.Contains(e.Message, "label");
    }

    [TestMethod]
    public void RowGroupsAreReadInOrderAndSkippedRowsAreNumberedInTheFile()
    {
        var cli = new CliRunner();
        var rows = Rows(cli.WriteData(rows: 100));
        string path = WriteParquet(cli.PathOf("groups.parquet"), rows, groupRows: 30, nullAt: i => i is 5 or 64);
        using FeatureReader reader = FeatureInput.Open(path, null, new ColumnSelection { Keys = ["id"], Label = "label" }, BadRowPolicy.Skip);
        CollectionAssert.AreEqual(new[] { "a", "b", "c" }, reader.FeatureNames.ToArray());
        var features = new float[40 * 3];
        var labels = new bool[40];
        var read = new List<(string Id, float A, float B, float C, bool Label)>();
        while (reader.ReadBlock(features, labels) is int n and > 0)
        {
            for (int r = 0; r < n; r++)
            {
                read.Add((new string(reader.Keys.Get(r, 0)), features[r * 3], features[r * 3 + 1], features[r * 3 + 2], labels[r]));
            }
        }

        var expected = rows.Where((_, i) => i is not (5 or 64)).Select(r => (r.Id, r.A, (float)(double)r.B, r.C, r.Label == 1)).ToList();
        CollectionAssert.AreEqual(expected, read);
        Assert.AreEqual(2, reader.SkippedRowCount);
        CollectionAssert.AreEqual(new long[] { 6, 65 }, reader.FirstSkipped.ToArray(), "1-based rows of the file, across row groups");
        Assert.AreEqual("row", reader.PositionName);
    }

    [TestMethod]
    public void TextLabelsAreReadAsTheCsvReaderReadsThem()
    {
        var cli = new CliRunner();
        string[] texts = ["true", " 1.0 ", "FALSE", "0", "no", "2", $"1.{new string('0', 80)}"];
        bool[] expected = [true, true, false, false, true];
        string path = cli.PathOf("text-labels.parquet");
        using (FileStream file = File.Create(path))
        {
            var a = new DataField<float>("a");
            var label = new DataField<string>("label");
            ParquetWriter writer = ParquetWriter.CreateAsync(new ParquetSchema(a, label), file).GetAwaiter().GetResult();
            using (ParquetRowGroupWriter group = writer.CreateRowGroup())
            {
                group.WriteAsync(a, new ReadOnlyMemory<float>([.. texts.Select((_, i) => (float)i)])).GetAwaiter().GetResult();
                group.WriteAsync(label, texts).GetAwaiter().GetResult();
            }

            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        using FeatureReader reader = FeatureInput.Open(path, null, new ColumnSelection { Label = "label" }, BadRowPolicy.Skip);
        var features = new float[texts.Length];
        var labels = new bool[texts.Length];
        int rows = reader.ReadBlock(features, labels);
        CollectionAssert.AreEqual(new[] { 0f, 1f, 2f, 3f, 6f }, features[..rows], "'no' and '2' are not labels; a long number form of 1 is");
        CollectionAssert.AreEqual(expected, labels[..rows]);
        CollectionAssert.AreEqual(new long[] { 5, 6 }, reader.FirstSkipped.ToArray());
    }

    [TestMethod]
    public void ANullValueFailsNamingTheRowItsRowGroupAndTheColumn()
    {
        var cli = new CliRunner();
        string data = cli.WriteData(rows: 100);
        string model = cli.Train(data);
        string path = WriteParquet(cli.PathOf("nulls.parquet"), Rows(data), groupRows: 30, nullAt: i => i == 64);
        string output = cli.PathOf("scores.csv");
        (int code, _, string error) = cli.Run("score", "-m", model, "-i", path, "-o", output, "--quiet");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "nulls.parquet, row 65 (row group 3 of 4, row 5 in it), column 'c' (#4): the value is missing (null).");
        StringAssert.Contains(error, "--bad-rows skip");
        Assert.IsFalse(File.Exists(output), "nothing is written half-way");

        (code, _, error) = cli.Run("score", "-m", model, "-i", path, "-o", output, "--bad-rows", "skip", "--quiet");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "skipped 1 bad row(s) of " + path + "; first at row(s) 65.");
        Assert.AreEqual(100, File.ReadLines(output).Count(), "header and 99 rows");
    }

    [TestMethod]
    public void MissingAndNonNumericColumnsAreNamed()
    {
        var cli = new CliRunner();
        string data = cli.WriteData(rows: 20);
        string path = WriteParquet(cli.PathOf("d.parquet"), Rows(data), groupRows: 20);

        var missing = Assert.ThrowsExactly<ParquetDataException>(() =>
            FeatureInput.Open(path, null, new ColumnSelection { Features = ["a", "z"] }, BadRowPolicy.Fail));
        StringAssert.Contains(missing.Message, "--features names column 'z', which the file's schema does not have. Columns: id, a, b, c, label.");

        var text = Assert.ThrowsExactly<ParquetDataException>(() =>
            FeatureInput.Open(path, null, new ColumnSelection { Features = ["a", "id"] }, BadRowPolicy.Fail));
        StringAssert.Contains(text.Message, "d.parquet, column 'id' (#1): the column holds String values; a feature column must hold numbers");

        (int code, _, string error) = cli.Run("train", "-i", path, "-m", cli.PathOf("m.vae"), "--features", "a,id", "--quiet");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "column 'id' (#1)");
    }

    [TestMethod]
    public void AFileThatIsNotParquetOrIsGzippedIsBadInput()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData(rows: 40));
        string csvNamedParquet = cli.WriteFile("fake.parquet", "a,b,c\n1,2,3\n");
        (int code, _, string error) = cli.Run("score", "-m", model, "-i", csvNamedParquet, "-o", cli.PathOf("o.csv"), "--quiet");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "fake.parquet: not a readable Parquet file");

        string parquet = WriteParquet(cli.PathOf("d.parquet"), Rows(cli.WriteData("x.csv", rows: 10)), groupRows: 10);
        string gzipped = cli.PathOf("d.gz.parquet");
        using (var gzip = new GZipStream(File.Create(gzipped), CompressionLevel.Fastest))
        {
            gzip.Write(File.ReadAllBytes(parquet));
        }

        (code, _, error) = cli.Run("score", "-m", model, "-i", gzipped, "-o", cli.PathOf("o.csv"), "--quiet");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "cannot be read through gzip");

        // Standard input is always CSV: a Parquet file piped in is named for what it is.
        (code, _, error, _) = cli.RunPiped(File.ReadAllBytes(parquet), "score", "-m", model, "-i", "-", "-o", "-", "--quiet");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "standard input: this is a Parquet file, read as CSV");
    }

    [TestMethod]
    public void ScoreWritesAParquetFileWithTheScoreColumns()
    {
        var cli = new CliRunner();
        string data = cli.WriteData(rows: 150);
        string model = cli.Train(data);
        (int code, _, string error) = cli.Run("score", "-m", model, "-i", data, "-o", cli.PathOf("s.csv"), "--keep", "id", "--top-features", "1", "--quiet");
        Assert.AreEqual(0, code, error);
        (code, _, error) = cli.Run("score", "-m", model, "-i", data, "-o", cli.PathOf("s.parquet"), "--keep", "id", "--top-features", "1", "--quiet");
        Assert.AreEqual(0, code, error);

        using FileStream file = File.OpenRead(cli.PathOf("s.parquet"));
        ParquetReader reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        string[] csvHeader = File.ReadLines(cli.PathOf("s.csv")).First().Split(',');
        CollectionAssert.AreEqual(csvHeader, reader.Schema.DataFields.Select(f => f.Name).ToArray());
        Assert.AreEqual(typeof(float), reader.Schema.DataFields[1].ClrType);
        Assert.AreEqual(typeof(bool), reader.Schema.DataFields[2].ClrType);

        ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
        Assert.AreEqual(150, group.RowCount);
        var ids = new string?[150];
        var scores = new float[150];
        var labels = new bool[150];
        var top = new string?[150];
        group.ReadAsync(reader.Schema.DataFields[0], ids.AsMemory()).AsTask().GetAwaiter().GetResult();
        group.ReadAsync(reader.Schema.DataFields[1], scores.AsMemory()).AsTask().GetAwaiter().GetResult();
        group.ReadAsync(reader.Schema.DataFields[2], labels.AsMemory()).AsTask().GetAwaiter().GetResult();
        group.ReadAsync(reader.Schema.DataFields[^2], top.AsMemory()).AsTask().GetAwaiter().GetResult();
        string[][] csvRows = [.. File.ReadLines(cli.PathOf("s.csv")).Skip(1).Select(l => l.Split(','))];
        for (int r = 0; r < 150; r++)
        {
            Assert.AreEqual(csvRows[r][0], ids[r]);
            Assert.AreEqual(float.Parse(csvRows[r][1], CultureInfo.InvariantCulture), scores[r]);
            Assert.AreEqual(bool.Parse(csvRows[r][2]), labels[r]);
            Assert.AreEqual(csvRows[r][^2], top[r]);
        }
    }

    [TestMethod]
    public void ScoreOutputsAreSplitIntoRowGroupsOfBoundedSize()
    {
        var cli = new CliRunner();
        string data = cli.WriteData(rows: 50);
        string model = cli.Train(data);
        var rows = Rows(data);
        var many = Enumerable.Range(0, (ParquetScoreOutput.RowGroupRows / rows.Count) + 2).SelectMany(_ => rows).ToList();
        string input = WriteParquet(cli.PathOf("many.parquet"), many, groupRows: 10_000);
        (int code, _, string error) = cli.Run("score", "-m", model, "-i", input, "-o", cli.PathOf("s.parquet"), "--quiet");
        Assert.AreEqual(0, code, error);

        using FileStream file = File.OpenRead(cli.PathOf("s.parquet"));
        ParquetReader reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        Assert.AreEqual(2, reader.RowGroupCount);
        Assert.AreEqual(ParquetScoreOutput.RowGroupRows, reader.OpenRowGroupReader(0).RowCount);
        Assert.AreEqual(many.Count - ParquetScoreOutput.RowGroupRows, reader.OpenRowGroupReader(1).RowCount);
    }

    [TestMethod]
    public void KeptColumnsOfOtherTypesBecomeText()
    {
        var cli = new CliRunner();
        var id = new DataField<long>("id");
        var flag = new DataField<bool?>("flag");
        var when = new DataField<DateTime>("when");
        var x = new DataField<float>("x");
        string path = cli.PathOf("keys.parquet");
        using (FileStream file = File.Create(path))
        {
            ParquetWriter writer = ParquetWriter.CreateAsync(new ParquetSchema(id, flag, when, x), file).GetAwaiter().GetResult();
            using (ParquetRowGroupWriter group = writer.CreateRowGroup())
            {
                group.WriteAsync(id, new ReadOnlyMemory<long>([12, -3])).GetAwaiter().GetResult();
                group.WriteAsync(flag, new ReadOnlyMemory<bool?>([true, null])).GetAwaiter().GetResult();
                group.WriteAsync(when, new ReadOnlyMemory<DateTime>([new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)])).GetAwaiter().GetResult();
                group.WriteAsync(x, new ReadOnlyMemory<float>([0.5f, 1.5f])).GetAwaiter().GetResult();
            }

            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        using FeatureReader reader = FeatureInput.Open(path, null, new ColumnSelection { Features = ["x"], Keys = ["id", "flag", "when"] }, BadRowPolicy.Fail);
        var features = new float[2];
        Assert.AreEqual(2, reader.ReadBlock(features));
        CollectionAssert.AreEqual(new[] { 0.5f, 1.5f }, features);
        Assert.AreEqual("12", new string(reader.Keys.Get(0, 0)));
        Assert.AreEqual("-3", new string(reader.Keys.Get(1, 0)));
        Assert.AreEqual("true", new string(reader.Keys.Get(0, 1)));
        Assert.AreEqual("", new string(reader.Keys.Get(1, 1)), "a null key is empty, as an empty CSV field");
        StringAssert.StartsWith(new string(reader.Keys.Get(0, 2)), "2026-01-02T03:04:05");
    }
}
