using System.Globalization;
using System.Text;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>
/// The CSV reader cuts its input into blocks of whole lines that other threads parse (vae score): whatever the order
/// blocks are parsed in, the rows, keys, skipped lines and the first error must be those of reading the file in order.
/// </summary>
[TestClass]
public sealed class CsvBlockParsingTests
{
    private const int BlockRows = 97; // a prime, so blocks start anywhere among the special lines below

    /// <summary>
    /// An id, two features; some lines end in CR LF, every 50th line is blank, and the lines in <paramref name="bad"/>
    /// (1-based, counting the header) hold a non-number. <paramref name="quoteAt"/> quotes that line's id.
    /// </summary>
    private static (string Text, List<(string Id, float A, float B)> Good) Generate(int lines, ISet<int> bad, int quoteAt = -1)
    {
        var text = new StringBuilder("id,a,b\n");
        var good = new List<(string, float, float)>();
        for (int line = 2; line <= lines; line++)
        {
            string ending = line % 7 == 0 ? "\r\n" : "\n";
            if (line % 50 == 0)
            {
                text.Append(ending);
                continue;
            }

            string id = line == quoteAt ? $"\"r,{line}\"" : $"r{line}";
            float a = line * 0.25f, b = -line;
            if (bad.Contains(line))
            {
                text.Append(CultureInfo.InvariantCulture, $"{id},{a},oops{ending}");
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"{id},{a},{b}{ending}");
            good.Add((line == quoteAt ? $"r,{line}" : id, a, b));
        }

        return (text.ToString(), good);
    }

    private static string Write(string text) => new CliRunner().WriteFile("blocks.csv", text);

    /// <summary>Reads every block, parses them last first, commits them in order; returns the rows as the blocks hold them.</summary>
    private static List<(string Id, float A, float B)> ReadBackwards(CsvFeatureReader reader, int blockRows = BlockRows)
    {
        var blocks = new List<FeatureBlock>();
        while (true)
        {
            var block = new FeatureBlock(blockRows, reader.FeatureCount, reader.KeyNames.Count, reader.Policy);
            if (!reader.ReadBlock(block))
            {
                break;
            }

            blocks.Add(block);
        }

        for (int i = blocks.Count - 1; i >= 0; i--)
        {
            reader.ParseBlock(blocks[i]);
        }

        var rows = new List<(string, float, float)>();
        foreach (FeatureBlock block in blocks)
        {
            reader.CommitBlock(block);
            for (int r = 0; r < block.Rows; r++)
            {
                rows.Add((new string(block.Keys.Get(r, 0)), block.Features[2 * r], block.Features[(2 * r) + 1]));
            }
        }

        return rows;
    }

    private static CsvFeatureReader Open(string path, BadRowPolicy policy) =>
        CsvFeatureReader.Open(path, null, new ColumnSelection { Keys = ["id"] }, policy);

    [TestMethod]
    public void BlocksParsedInAnyOrderGiveTheFilesRowsAndSkippedLines()
    {
        var bad = new HashSet<int> { 3, 160, 161, 1234, 4999 };
        (string text, var good) = Generate(5000, bad);
        string path = Write(text);

        using CsvFeatureReader reader = Open(path, BadRowPolicy.Skip);
        List<(string, float, float)> rows = ReadBackwards(reader);
        Assert.IsTrue(reader.ParsesBlocksApart, "plain lines are cut into blocks");
        CollectionAssert.AreEqual(good, rows);
        Assert.AreEqual(good.Count, reader.RowCount);
        Assert.AreEqual(bad.Count, reader.SkippedRowCount);
        CollectionAssert.AreEqual(bad.Order().Select(l => (long)l).ToArray(), reader.FirstSkipped.ToArray());

        // The same file read block by block on one thread (the path of train, evaluate and report).
        using CsvFeatureReader again = Open(path, BadRowPolicy.Skip);
        CollectionAssert.AreEqual(good, ReadOnOneThread(again, BlockRows));
        CollectionAssert.AreEqual(reader.FirstSkipped.ToArray(), again.FirstSkipped.ToArray());
    }

    /// <summary>Reads the rows block by block on the calling thread, as train, evaluate and report do.</summary>
    private static List<(string Id, float A, float B)> ReadOnOneThread(CsvFeatureReader reader, int blockRows)
    {
        var features = new float[blockRows * 2];
        var rows = new List<(string, float, float)>();
        for (int n; (n = reader.ReadBlock(features)) > 0;)
        {
            for (int r = 0; r < n; r++)
            {
                rows.Add((new string(reader.Keys.Get(r, 0)), features[2 * r], features[(2 * r) + 1]));
            }
        }

        return rows;
    }

    [TestMethod]
    public void TheFirstBadRowOfTheFileIsReportedWhicheverBlockIsParsedFirst()
    {
        (string text, _) = Generate(3000, new HashSet<int> { 1501, 2900 });
        using CsvFeatureReader reader = Open(Write(text), BadRowPolicy.Fail);
        var e = Assert.ThrowsExactly<CsvDataException>(() => ReadBackwards(reader));
        Assert.AreEqual(1501, e.Line);
        StringAssert.Contains(e.Message, "column 'b' (#3)");
    }

    [TestMethod]
    public void AQuoteLaterInTheFileIsReadInOrderFromItsBlockOnWithTheSameRowsAndLines()
    {
        var bad = new HashSet<int> { 40, 2603 };
        (string text, var good) = Generate(4000, bad, quoteAt: 2001);
        using CsvFeatureReader reader = Open(Write(text), BadRowPolicy.Skip);
        List<(string, float, float)> rows = ReadBackwards(reader);
        Assert.IsFalse(reader.ParsesBlocksApart, "the block with the quote and the rest are read in order");
        CollectionAssert.AreEqual(good, rows); // line 2001's id is "r,2001", quoted in the file
        CollectionAssert.AreEqual(new long[] { 40, 2603 }, reader.FirstSkipped.ToArray());
    }

    [TestMethod]
    public void LinesEndingInABareCarriageReturnAreReadInOrderAndCounted()
    {
        using CsvFeatureReader reader = Open(Write("id,a,b\rx,1,2\ry,3,no\rz,5,6\r"), BadRowPolicy.Skip);
        List<(string, float, float)> rows = ReadBackwards(reader);
        CollectionAssert.AreEqual(new[] { ("x", 1f, 2f), ("z", 5f, 6f) }, rows);
        CollectionAssert.AreEqual(new long[] { 3 }, reader.FirstSkipped.ToArray());
    }

    [TestMethod]
    public void AHeaderLongerThanTheDetectionBytesIsReadInOrder()
    {
        // 20,000 columns: the header alone is longer than the bytes read ahead, so the first data line is not among them.
        string[] names = [.. Enumerable.Range(0, 20000).Select(i => $"column{i}")];
        string text = string.Join(',', names) + "\n" + string.Join(',', names.Select((_, i) => i % 10)) + "\n";
        using CsvFeatureReader reader = CsvFeatureReader.Open(Write(text), null, new ColumnSelection(), BadRowPolicy.Fail);
        var features = new float[20000];
        Assert.AreEqual(1, reader.ReadBlock(features));
        Assert.IsFalse(reader.ParsesBlocksApart);
        Assert.AreEqual(9f, features[19999]);
    }

    [TestMethod]
    public void AUtf8ByteOrderMarkIsNotPartOfTheFirstColumnsName()
    {
        using CsvFeatureReader reader = Open(Write("\uFEFFid,a,b\nx,1,2\n"), BadRowPolicy.Fail);
        Assert.AreEqual("id", reader.Header[0]);
        CollectionAssert.AreEqual(new[] { ("x", 1f, 2f) }, ReadBackwards(reader));
        Assert.IsTrue(reader.ParsesBlocksApart);
    }

    [TestMethod]
    public void ALineStartingWithTheBytesOfAByteOrderMarkIsDataWhereverBlocksStart()
    {
        // Line 99 starts the second block (the header, then 97 lines a block); line 150 is inside it.
        byte[][] marks = [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0x00, 0x00, 0xFE, 0xFF]];
        foreach (byte[] mark in marks)
        {
            var bytes = new List<byte>("id,a,b\n"u8.ToArray());
            var expected = new List<(string, float, float)>();
            for (int line = 2; line <= 300; line++)
            {
                byte[] id = [.. line is 99 or 150 ? mark : [], .. Encoding.UTF8.GetBytes($"r{line}")];
                bytes.AddRange([.. id, .. Encoding.UTF8.GetBytes($",{line},-1\n")]);
                expected.Add((Encoding.UTF8.GetString(id), line, -1f));
            }

            string path = new CliRunner().WriteFile("marks.csv", "");
            File.WriteAllBytes(path, [.. bytes]);
            using CsvFeatureReader reader = Open(path, BadRowPolicy.Fail);
            CollectionAssert.AreEqual(expected, ReadBackwards(reader), Convert.ToHexString(mark));
        }
    }

    [TestMethod]
    public void RandomFilesReadTheSameWhateverTheBlockSize()
    {
        // Lines that are good, blank, bad, short, or start with bytes a reader might take for something else (byte order
        // marks, an Excel separator hint, a comment mark, blanks, NUL, a bare CR, a quote); CR LF endings here and there.
        byte[][] starts = [[0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0, 0, 0xFE, 0xFF], "sep=;"u8.ToArray(), "#"u8.ToArray(), " "u8.ToArray(),
            "\t"u8.ToArray(), [0], "\r"u8.ToArray(), "\""u8.ToArray()];
        var random = new Random(5);
        var cli = new CliRunner();
        for (int file = 0; file < 150; file++)
        {
            var bytes = new List<byte>("id,a,b\n"u8.ToArray());
            bool special = random.Next(3) == 0;
            for (int line = 0, lines = random.Next(1, 120); line < lines; line++)
            {
                string ending = random.Next(4) == 0 ? "\r\n" : "\n";
                int kind = random.Next(special ? 12 : 6);
                bytes.AddRange(kind > 5 ? starts[random.Next(starts.Length)] : []);
                bytes.AddRange(Encoding.UTF8.GetBytes(kind switch
                {
                    < 3 => $"r{line},{line}.5,-{line}{ending}",
                    3 => ending,
                    4 => $"r{line},x,1{ending}",
                    5 => random.Next(3) switch { 0 => $"r{line},1{ending}", 1 => $"r\"{line},1,2{ending}", _ => $"r{line},1\r2,3{ending}" },
                    _ => $"r{line},{line},2{ending}",
                }));
            }

            if (random.Next(5) == 0 && bytes[^1] == (byte)'\n')
            {
                bytes.RemoveAt(bytes.Count - 1);
            }

            string path = cli.WriteFile($"random-{file}.csv", "");
            File.WriteAllBytes(path, [.. bytes]);
            foreach (BadRowPolicy policy in new[] { BadRowPolicy.Skip, BadRowPolicy.Fail })
            {
                string expected = Outcome(path, policy, blockRows: 1000); // one block: the file read in order
                foreach (int blockRows in new[] { 1, 2, 3, 13 })
                {
                    string where = $"file {file} ({Convert.ToHexString([.. bytes])}), {policy}, blocks of {blockRows} lines";
                    Assert.AreEqual(expected, Outcome(path, policy, blockRows), where);
                    Assert.AreEqual(expected, Outcome(path, policy, blockRows, onOneThread: true), where + " on one thread");
                }
            }
        }

        static string Outcome(string path, BadRowPolicy policy, int blockRows, bool onOneThread = false)
        {
            try
            {
                using CsvFeatureReader reader = Open(path, policy);
                var rows = onOneThread ? ReadOnOneThread(reader, blockRows) : ReadBackwards(reader, blockRows);
                var text = rows.Select(r => $"{Convert.ToHexString(Encoding.UTF8.GetBytes(r.Id))} {r.A} {r.B}");
                return $"{string.Join("; ", text)}; skipped {reader.SkippedRowCount} at {string.Join(", ", reader.FirstSkipped)}";
            }
            catch (CsvDataException e)
            {
                return e.Message;
            }
        }
    }

    [TestMethod]
    public void MalformedQuotingIsReportedAtTheFilesLineWithoutTheReadersOwnPositions()
    {
        // Line 99 starts the second block; line 150 is inside it.
        foreach (int quoted in new[] { 2, 99, 150 })
        {
            var text = new StringBuilder("id,a,b\n");
            for (int line = 2; line <= 300; line++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{(line == quoted ? "\"r" : "r")}{line},1,2\n");
            }

            using CsvFeatureReader reader = Open(Write(text.ToString()), BadRowPolicy.Skip);
            var e = Assert.ThrowsExactly<CsvDataException>(() => ReadBackwards(reader));
            Assert.AreEqual(quoted, e.Line);
            StringAssert.EndsWith(e.Message, $"blocks.csv, line {quoted}: malformed CSV: a quoted field that is never closed.");
        }
    }

    [TestMethod]
    public void TheLastLineNeedsNoLineBreak()
    {
        using CsvFeatureReader reader = Open(Write("id,a,b\nx,1,2\n\ny,3,4"), BadRowPolicy.Fail);
        CollectionAssert.AreEqual(new[] { ("x", 1f, 2f), ("y", 3f, 4f) }, ReadBackwards(reader));
        Assert.IsTrue(reader.ParsesBlocksApart);
    }

    [TestMethod]
    public void ScoreReportsTheFirstBadLineAndTheSkippedLinesOfTheFile()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        var text = new StringBuilder("a,b,c\n");
        for (int line = 2; line <= 3000; line++)
        {
            text.Append(line is 700 or 2950 ? "0.1,x,0.3\n" : "0.1,0.2,0.3\n");
        }

        string data = cli.WriteFile("two-bad.csv", text.ToString());
        (int code, _, string error) = cli.Run("score", "--model", model, "--input", data, "--output", cli.PathOf("o.csv"), "--block-rows", "16", "--threads", "2");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "line 700, column 'b' (#2)");

        (code, _, error) = cli.Run("score", "--model", model, "--input", data, "--output", cli.PathOf("o.csv"), "--block-rows", "16", "--threads", "2",
            "--bad-rows", "skip");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "skipped 2 bad row(s)");
        StringAssert.Contains(error, "line(s) 700, 2950");
        Assert.HasCount(2998, File.ReadAllLines(cli.PathOf("o.csv")));
    }

    [TestMethod]
    public void ScoreWritesTheSameBytesWhateverTheThreadsBlocksAndQuoting()
    {
        // One scorer on the library's pool, or one per thread; blocks parsed apart, or (a quoted key) in order.
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        string plain = cli.WriteData("plain.csv", rows: 3000);
        string quoted = cli.WriteFile("quoted.csv", File.ReadAllText(plain).Replace("\nrow1000,", "\n\"row1000\",", StringComparison.Ordinal));
        StringAssert.Contains(File.ReadAllText(quoted), "\n\"row1000\",", "setup: the quoted file quotes a key");
        byte[]? expected = null;
        foreach ((string input, string threads, string blockRows) in new[] { (plain, "1", "8192"), (plain, "2", "50"), (plain, "3", "7"), (quoted, "2", "64") })
        {
            string output = cli.PathOf($"o-{threads}-{blockRows}.csv");
            (int code, _, string error) = cli.Run("score", "--model", model, "--input", input, "--output", output, "--keep", "id", "--threads", threads,
                "--block-rows", blockRows, "--quiet");
            Assert.AreEqual(0, code, error);
            byte[] bytes = File.ReadAllBytes(output);
            expected ??= bytes;
            CollectionAssert.AreEqual(expected, bytes, $"--threads {threads} --block-rows {blockRows}, {Path.GetFileName(input)}");
        }
    }
}
