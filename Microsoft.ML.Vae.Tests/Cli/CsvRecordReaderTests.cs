using Microsoft.ML.Vae.Cli.Csv;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class CsvRecordReaderTests
{
    private static List<string[]> ReadAll(string text, char? delimiter = null, int chunk = int.MaxValue)
    {
        var reader = new CsvRecordReader(new TrickleReader(text, chunk), "t.csv", delimiter);
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetFieldString)]);
        }

        return records;
    }

    [TestMethod]
    public void SplitsPlainRecords()
    {
        List<string[]> records = ReadAll("a,b,c\n1,2,3\r\n4,5,6");
        Assert.HasCount(3, records);
        CollectionAssert.AreEqual(new[] { "4", "5", "6" }, records[2]);
    }

    [TestMethod]
    public void QuotedFieldsHoldDelimitersQuotesAndLineBreaks()
    {
        List<string[]> records = ReadAll("id,text\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n");
        Assert.HasCount(4, records);
        Assert.AreEqual("a,b", records[1][1]);
        Assert.AreEqual("say \"hi\"", records[2][1]);
        Assert.AreEqual("two\nlines", records[3][1]);
    }

    [TestMethod]
    public void RecordsSpanningBufferRefillsParseTheSame()
    {
        string text = "x;y\n" + string.Join("\n", Enumerable.Range(0, 200).Select(i => $"\"{i}\";\"q\"\"{i}\""));
        List<string[]> whole = ReadAll(text);
        List<string[]> trickled = ReadAll(text, chunk: 3);
        Assert.HasCount(201, trickled);
        for (int i = 0; i < whole.Count; i++)
        {
            CollectionAssert.AreEqual(whole[i], trickled[i], $"record {i}");
        }

        Assert.AreEqual("q\"199", trickled[200][1]);
    }

    [TestMethod]
    public void LineNumbersCountEmbeddedLineBreaksAndBlankLines()
    {
        var reader = new CsvRecordReader(new StringReader("h1,h2\n\"a\nb\",1\n\n2,3\n"), "t.csv", ',');
        var lines = new List<long>();
        while (reader.Read())
        {
            lines.Add(reader.LineNumber);
        }

        CollectionAssert.AreEqual(new long[] { 1, 2, 5 }, lines);
    }

    [TestMethod]
    public void UnclosedQuoteNamesFileAndLine()
    {
        var e = Assert.ThrowsExactly<CsvDataException>(() => ReadAll("a,b\n1,\"oops\n"));
        Assert.AreEqual(2, e.Line);
        StringAssert.Contains(e.Message, "t.csv, line 2");
    }

    [TestMethod]
    public void TextAfterClosingQuoteIsAnError()
    {
        var e = Assert.ThrowsExactly<CsvDataException>(() => ReadAll("a,b\n\"x\"y,1\n"));
        StringAssert.Contains(e.Message, "closing quote");
    }

    [TestMethod]
    [DataRow("a,b,c", ',')]
    [DataRow("a;b;c", ';')]
    [DataRow("a\tb\tc", '\t')]
    [DataRow("\"x;y\",b,c", ',')]
    [DataRow("single", ',')]
    public void DetectsDelimiterFromHeader(string header, char expected)
    {
        Assert.AreEqual(expected, DelimiterDetector.Detect(header));
        var reader = new CsvRecordReader(new StringReader(header + "\n1"), "t.csv", null);
        Assert.AreEqual(expected, reader.Delimiter);
    }

    /// <summary>Returns at most <c>chunk</c> chars per Read, to exercise every buffer boundary.</summary>
    private sealed class TrickleReader(string text, int chunk) : TextReader
    {
        private int _position;

        public override int Read(char[] buffer, int index, int count)
        {
            int n = Math.Min(Math.Min(count, chunk), text.Length - _position);
            text.CopyTo(_position, buffer, index, n);
            _position += n;
            return n;
        }
    }
}
