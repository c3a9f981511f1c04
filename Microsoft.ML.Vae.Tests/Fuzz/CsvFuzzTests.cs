using System.Globalization;
using System.Text;
using Microsoft.ML.Vae.Cli;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;
using Microsoft.ML.Vae.Tests.Cli;

namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>
/// Mutated and hostile CSV inputs (random bytes, huge fields, a million columns, lines without end, invalid UTF-8, NUL
/// bytes): the reader ends in rows or a <see cref="CsvDataException"/> naming the input, and the CLI in its documented
/// exit codes, within the time and memory limits.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class CsvFuzzTests
{
    private const int Seed = 1607;
    private const int ReaderInputs = 2000;
    private const int ScoreInputs = 300;
    private const int TrainInputs = 120;

    public TestContext TestContext { get; set; } = null!;

    private static readonly Lazy<byte[][]> s_valid = new(() =>
    {
        var cli = new CliRunner();
        return
        [
            File.ReadAllBytes(cli.WriteData("comma.csv", rows: 40)),
            File.ReadAllBytes(cli.WriteData("semicolon.csv", rows: 40, delimiter: ';')),
            Encoding.UTF8.GetBytes("id;a;b;c\n1;0,5;1,25;-3,5e-1\n2;0,75;1,5;0,25\n\"x;y\";1;2;3\n"),
            Encoding.UTF8.GetBytes("\"id\",a,b,c\n\"two\nlines\",1,2,3\n\"say \"\"hi\"\"\",4,5,6\n7,8,9,10\n"),
            Encoding.UTF8.GetBytes("a\tb\tc\n1\t2\t3\n4\t5\t6\n"),
        ];
    });

    /// <summary>Large hostile inputs, all under 10 MB.</summary>
    private static IEnumerable<(Func<byte[]> Bytes, string What)> Hostile(Mutator mutator)
    {
        yield return (() => mutator.Bytes(1 << 20), "1 MB of random bytes");
        yield return (() => [.. "a,b,c\n1,"u8, .. Enumerable.Repeat((byte)'7', 5 << 20), .. ",3\n"u8], "a 5 MB field of digits");
        yield return (() => [.. "a,b,c\n1,\""u8, .. Enumerable.Repeat((byte)'x', 5 << 20), .. "\n\",3\n"u8], "a quoted 5 MB field with a line break");
        yield return (() => [.. "a,b,c\n\""u8, .. Enumerable.Repeat((byte)'1', 8 << 20)], "an unclosed quote before 8 MB");
        yield return (() => Header(1_000_000, withRow: true), "1,000,000 columns in the header and one row");
        yield return (() => Header(1_000_000, withRow: false), "1,000,000 columns in the header only");
        yield return (() => [.. "a,b,c\n"u8, .. Enumerable.Repeat("1,2,3,"u8.ToArray(), 1 << 20).SelectMany(b => b)], "a 6 MB line without end");
        yield return (() => Enumerable.Repeat((byte)'\n', 5 << 20).ToArray(), "5 MB of empty lines");
        yield return (() => [.. "a,b,c\n"u8, .. Enumerable.Repeat("\r"u8.ToArray(), 1 << 20).SelectMany(b => b)], "a million carriage returns");
        yield return (() => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("a,b,c\n1,2,3\n")], "UTF-16 with a byte order mark");
        yield return (() => [0xFF, 0xFE, .. mutator.Bytes(1 << 16)], "a UTF-16 byte order mark then random bytes");
        yield return (() => [.. "a,"u8, 0xFF, 0xFE, .. "b,c\n1,2,3\n"u8], "invalid UTF-8 in the header");
        yield return (() => [.. "a,b,c\n1,"u8, 0xC3, 0x28, .. ",3\n"u8], "invalid UTF-8 in a field");
        yield return (() => [.. "a,b\0,c\n1,2\0,3\n\0\0\0\n"u8], "NUL bytes in the header and fields");
        yield return (() => "sep=;\na;b;c\n1;2;3\n"u8.ToArray(), "an Excel separator hint");
        yield return (() => Enumerable.Repeat((byte)'"', 1 << 20).ToArray(), "1 MB of quotes");
    }

    private static byte[] Header(int columns, bool withRow)
    {
        var text = new StringBuilder(columns * 9);
        text.AppendJoin(',', Enumerable.Range(0, columns).Select(i => $"c{i}")).Append('\n');
        if (withRow)
        {
            text.AppendJoin(',', Enumerable.Repeat("0", columns)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>CSV-like noise: the characters that matter to a CSV reader, and a few that should not be there.</summary>
    private static byte[] Noise(Random random, int length)
    {
        ReadOnlySpan<byte> alphabet = [.. "0123456789,;\t|\".-+eE \n\r\0abc"u8, 0xFF, 0xC3, 0x80];
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = alphabet[random.Next(alphabet.Length)];
        }

        return bytes;
    }

    /// <summary>Reads the whole input as training does (one matrix).</summary>
    private static string Read(string path, BadRowPolicy policy) =>
        ReaderOutcome.Of<CsvDataException>(() => CsvFeatureReader.Open(path, null, new ColumnSelection(), policy));

    private static IEnumerable<(Func<byte[]> Bytes, string What)> Inputs(Mutator mutator, int count)
    {
        for (int i = 0; i < count; i++)
        {
            int kind = i % 5;
            int index = i;
            yield return kind switch
            {
                0 => (() => mutator.Bytes(mutator.Random.Next(4096)), $"input {index}: random bytes"),
                1 => (() => Noise(mutator.Random, mutator.Random.Next(4096)), $"input {index}: CSV-like noise"),
                _ => Mutated(mutator, s_valid.Value[index % s_valid.Value.Length], index),
            };
        }
    }

    private static (Func<byte[]>, string) Mutated(Mutator mutator, byte[] original, int index)
    {
        (byte[] bytes, string what) = mutator.Mutate(original);
        for (int more = mutator.Random.Next(3); more > 0; more--)
        {
            (bytes, string next) = mutator.Mutate(bytes.Length > 0 ? bytes : original);
            what += ", " + next;
        }

        return (() => bytes, $"input {index}: {what}");
    }

    [TestMethod]
    public void TheReaderEndsInRowsOrANamedDataError()
    {
        var cli = new CliRunner();
        var campaign = new FuzzCampaign("CSV inputs read", outcome => outcome is "rows read" or nameof(CsvDataException) or "bad input");
        var mutator = new Mutator(Seed);
        string path = cli.PathOf("fuzz.csv");
        int n = 0;
        foreach ((Func<byte[]> bytes, string what) in Hostile(mutator).Concat(Inputs(mutator, ReaderInputs)).Concat(Mutator.OtherFormats().Select(o => ((Func<byte[]>)(() => o.Bytes), o.What))))
        {
            File.WriteAllBytes(path, bytes());
            BadRowPolicy policy = n++ % 2 == 0 ? BadRowPolicy.Fail : BadRowPolicy.Skip;
            campaign.Run($"{what} ({policy})", () => Read(path, policy));
        }

        TestContext.WriteLine(campaign.ToString());
        Assert.IsGreaterThan(2000, campaign.Count);
    }

    [TestMethod]
    public void ScoreAndTrainEndInTheirDocumentedExitCodes()
    {
        var cli = new CliRunner();
        string model = cli.Train(cli.WriteData());
        var mutator = new Mutator(Seed + 1);
        string path = cli.PathOf("fuzz.csv"), output = cli.PathOf("scores.csv"), trained = cli.PathOf("fuzz.vae");

        var score = new FuzzCampaign("CSV inputs through vae score", outcome => outcome is "exit 0" or "exit 2" or "exit 3");
        foreach ((Func<byte[]> bytes, string what) in Hostile(mutator).Concat(Inputs(mutator, ScoreInputs)))
        {
            File.WriteAllBytes(path, bytes());
            score.Run(what, () => Exit(cli.Run("score", "-m", model, "-i", path, "-o", output, "--quiet")));
        }

        var train = new FuzzCampaign("CSV inputs through vae train", outcome => outcome is "exit 0" or "exit 2");
        foreach ((Func<byte[]> bytes, string what) in Hostile(mutator).Concat(Inputs(mutator, TrainInputs)))
        {
            File.WriteAllBytes(path, bytes());
            train.Run(what, () => Exit(cli.Run("train", "-i", path, "-m", trained, "--epochs", "1", "--hidden-layers", "4", "--threads", "1", "--quiet")));
        }

        TestContext.WriteLine(score.ToString());
        TestContext.WriteLine(train.ToString());
    }

    private static string Exit((int ExitCode, string Out, string Error) result)
    {
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (result.ExitCode != 0)
        {
            // Failures are one line starting with "error:", after any notes and warnings.
            Assert.IsTrue(lines.Length > 0 && lines[^1].StartsWith("error: ", StringComparison.Ordinal), result.Error);
            Assert.AreEqual(1, lines.Count(l => l.StartsWith("error: ", StringComparison.Ordinal)), result.Error);
        }

        return string.Create(CultureInfo.InvariantCulture, $"exit {result.ExitCode}");
    }
}
