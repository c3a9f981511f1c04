using System.Globalization;
using System.Text;
using Microsoft.ML.Vae.Cli.Csv;
using Microsoft.ML.Vae.Cli.Data;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class NumberParserTests
{
    [TestMethod]
    [DataRow("1.5", '.', 1.5f)]
    [DataRow("  -0.25\t", '.', -0.25f)]
    [DataRow("+3e2", '.', 300f)]
    [DataRow("1E-3", '.', 0.001f)]
    [DataRow(".5", '.', 0.5f)]
    [DataRow("5.", '.', 5f)]
    [DataRow("1,42541", ',', 1.42541f)]
    [DataRow("-1,5e1", ',', -15f)]
    [DataRow("7", ',', 7f)]
    [DataRow("0,1", ',', 0.1f)]
    public void ReadsNumbersWithTheFilesDecimalSeparator(string text, char separator, float expected)
    {
        Assert.IsTrue(NumberParser.TryParse(Encoding.UTF8.GetBytes(text), separator, out float value), text);
        Assert.AreEqual(expected, value, text);
    }

    /// <summary>The finding: with a comma as thousands separator, 1,42541 was read as 142541. Neither form is read.</summary>
    [TestMethod]
    [DataRow("1,42541", '.')]
    [DataRow("1,425.5", '.')]
    [DataRow("1.425,5", ',')]
    [DataRow("1.5", ',')]
    [DataRow("1 425", '.')]
    [DataRow("", '.')]
    [DataRow("-", '.')]
    [DataRow("abc", '.')]
    [DataRow("1.5.2", '.')]
    [DataRow("1e", '.')]
    [DataRow("0x10", '.')]
    public void RefusesWhatIsNotANumberOfThatForm(string text, char separator)
    {
        Assert.IsFalse(NumberParser.TryParse(Encoding.UTF8.GetBytes(text), separator, out _), $"'{text}' with '{separator}'");
    }

    /// <summary>Bit for bit what float.Parse gives, over random values in many shapes (the fast path and the BCL fallback).</summary>
    [TestMethod]
    public void AgreesWithFloatParseBitForBit()
    {
        var random = new Random(12);
        string[] formats = ["R", "F1", "F4", "F9", "E3", "E12", "G17", "F20"];
        for (int i = 0; i < 100_000; i++)
        {
            double magnitude = Math.Pow(10, random.Next(-45, 39));
            double value = (random.NextDouble() - 0.5) * magnitude;
            string text = value.ToString(formats[i % formats.Length], CultureInfo.InvariantCulture);
            float expected = float.Parse(text, CultureInfo.InvariantCulture);
            Assert.IsTrue(NumberParser.TryParse(Encoding.UTF8.GetBytes(text), '.', out float point), text);
            Assert.AreEqual(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(point), text);
            Assert.IsTrue(NumberParser.TryParse(Encoding.UTF8.GetBytes(text.Replace('.', ',')), ',', out float comma), text);
            Assert.AreEqual(BitConverter.SingleToInt32Bits(expected), BitConverter.SingleToInt32Bits(comma), text);
        }
    }

    /// <summary>Decimals exactly halfway between two floats, where rounding through a double would go wrong, are exact.</summary>
    [TestMethod]
    public void HalfwayCasesRoundToEven()
    {
        for (int i = 0; i < 1000; i++)
        {
            float low = BitConverter.Int32BitsToSingle(0x3F800000 + (i * 7919));
            double halfway = ((double)low + MathF.BitIncrement(low)) / 2;
            string text = halfway.ToString("R", CultureInfo.InvariantCulture);
            Assert.IsTrue(NumberParser.TryParse(Encoding.UTF8.GetBytes(text), '.', out float value));
            Assert.AreEqual(float.Parse(text, CultureInfo.InvariantCulture), value, text);
        }
    }

    [TestMethod]
    public void LabelsAreExactlyZeroOneTrueOrFalse()
    {
        foreach ((string text, bool expected) in new[] { ("1", true), ("0", false), ("1.0", true), ("0.00", false), ("TRUE", true), (" false ", false) })
        {
            Assert.IsTrue(LabelParser.TryParse(Encoding.UTF8.GetBytes(text), '.', out bool label), text);
            Assert.AreEqual(expected, label, text);
        }

        foreach (string text in new[] { "yes", "no", "y", "t", "2", "-1", "0.5", "anomaly", "", "1,0" })
        {
            Assert.IsFalse(LabelParser.TryParse(Encoding.UTF8.GetBytes(text), '.', out _), text);
        }

        Assert.IsTrue(LabelParser.TryParse("1,0"u8, ',', out bool comma) && comma);
        StringAssert.Contains(LabelParser.Accepted, "0 or 1");
    }
}
