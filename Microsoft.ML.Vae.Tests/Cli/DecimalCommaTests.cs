using System.Globalization;
using System.Text;
using Microsoft.ML.Vae.Cli.Csv;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>Decimal commas (European CSV exports) are read as decimals, detected or asked for; never as thousands separators.</summary>
[TestClass]
public sealed class DecimalCommaTests
{
    /// <summary>A spreadsheet export with ';' between fields and ',' in numbers, as German or French locales write it.</summary>
    private static string EuropeanExport(int rows)
    {
        var random = new Random(3);
        var text = new StringBuilder("Zeitpunkt;Temperatur;Druck;Drehzahl\n");
        for (int i = 0; i < rows; i++)
        {
            double load = random.NextDouble();
            text.Append(CultureInfo.InvariantCulture, $"2024-03-{1 + (i % 28):00} 12:00;{20 + (5 * load):F5};{1013 + random.NextDouble():F2};{1400 + (100 * load):F1}\n");
        }

        return text.ToString().Replace('.', ','); // the timestamps have no point to lose
    }

    [TestMethod]
    public void AEuropeanExportIsReadWithDecimalCommasAndTheToolSaysSo()
    {
        var cli = new CliRunner();
        string data = cli.WriteFile("export.csv", EuropeanExport(300));
        string model = cli.PathOf("m.vae");
        (int code, _, string error) = cli.Run("train", "-i", data, "-m", model, "--exclude", "Zeitpunkt", "--epochs", "1", "--hidden-layers", "4",
            "--scaling", "standard");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "decimal comma");

        // Standard scaling stores each column's mean: about 22.5, 1013.5 and 1450, not 2,250,000 or 145,000.
        VaeTransformer vae = VaeTransformer.Load(model);
        Assert.AreEqual(FeatureScaling.Standard, vae.Options.Scaling);
        Assert.AreEqual(22.5, vae.Scaler.Offset[0], 0.5);
        Assert.AreEqual(1013.5, vae.Scaler.Offset[1], 0.2);
        Assert.AreEqual(1450, vae.Scaler.Offset[2], 10);

        string scores = cli.PathOf("scores.csv");
        (code, _, error) = cli.Run("score", "-m", model, "-i", data, "-o", scores);
        Assert.AreEqual(0, code, error);
        Assert.AreEqual(301, File.ReadAllLines(scores).Length);
        int flagged = File.ReadLines(scores).Skip(1).Count(l => l.Split(',')[1] == "true");
        Assert.IsLessThan(30, flagged, "scored in the right units, few rows are anomalies");
    }

    [TestMethod]
    public void TabSeparatedDecimalCommasAreDetectedToo()
    {
        var cli = new CliRunner();
        string data = cli.WriteFile("tab.tsv", EuropeanExport(50).Replace(';', '\t'));
        (int code, _, string error) = cli.Run("train", "-i", data, "-m", cli.PathOf("m.vae"), "--features", "Temperatur,Druck", "--epochs", "1");
        Assert.AreEqual(0, code, error);
        StringAssert.Contains(error, "decimal comma");
    }

    [TestMethod]
    public void WithDecimalPointsADecimalCommaFailsNamingLineAndColumnAndTheFlag()
    {
        var cli = new CliRunner();
        string data = cli.WriteFile("export.csv", EuropeanExport(20));
        (int code, _, string error) = cli.Run("train", "-i", data, "-m", cli.PathOf("m.vae"), "--exclude", "Zeitpunkt", "--decimal-separator", "point");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "export.csv, line 2, column 'Temperatur' (#2)");
        StringAssert.Contains(error, "--decimal-separator comma");
        Assert.IsFalse(File.Exists(cli.PathOf("m.vae")));
    }

    [TestMethod]
    public void AThousandsSeparatorIsNeverRead()
    {
        var cli = new CliRunner();
        // Both separators: a point can only be a thousands separator here, and is refused, not skipped over.
        string data = cli.WriteFile("mixed.csv", "a;b\n1.425,5;2,5\n3,1;4,0\n");
        (int code, _, string error) = cli.Run("train", "-i", data, "-m", cli.PathOf("m.vae"), "--decimal-separator", "comma");
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "line 2, column 'a' (#1): '1.425,5' is not a number with a decimal comma");

        // Mixed fields in the first lines: no detection, and the comma is refused as a thousands separator.
        data = cli.WriteFile("us.csv", "a;b\n1,425;2.5\n3.1;4.0\n");
        (code, _, error) = cli.Run("train", "-i", data, "-m", cli.PathOf("m.vae"));
        Assert.AreEqual(2, code);
        StringAssert.Contains(error, "line 2, column 'a' (#1): '1,425' is not a number with a decimal point");
    }

    [TestMethod]
    public void DetectionLooksAtDataLinesOfNonCommaFiles()
    {
        Assert.AreEqual(',', DecimalSeparatorOption.Detect("a;b\n1,5;2\n-3,25;4e2\n"u8, ';'));
        Assert.AreEqual('.', DecimalSeparatorOption.Detect("a;b\n1,5;2.5\n"u8, ';'), "mixed: no guess");
        Assert.AreEqual('.', DecimalSeparatorOption.Detect("a,b\n1,5\n"u8, ','), "comma-separated files use points");
        Assert.AreEqual('.', DecimalSeparatorOption.Detect("x,5;y,5\n1;2\n"u8, ';'), "the header does not count");
        Assert.AreEqual('.', DecimalSeparatorOption.Detect("a;b\n\"1,5\";2\n"u8, ';'), "quoted lines are not guessed at");
        Assert.AreEqual(',', DecimalSeparatorOption.Detect("a|b\n0,5|1\n"u8, '|'));
    }
}
