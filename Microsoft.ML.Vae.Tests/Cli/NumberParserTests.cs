using System.Globalization;
using System.Text;
using Microsoft.ML.Vae.Cli.Csv;

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

    /// <summary>
    /// The eight-at-a-time path gives what the digit-by-digit path gives, bit for bit and in what it refuses, on short
    /// fields of digits, separators, signs, exponents, spaces and other bytes, with either decimal separator.
    /// </summary>
    [TestMethod]
    public void EightAtATimeAgreesWithDigitByDigit()
    {
        var random = new Random(8);
        ReadOnlySpan<byte> alphabet = "0123456789012345678901234567890123456789..,,-+eE x"u8;
        var field = new byte[10];
        for (int i = 0; i < 300_000; i++)
        {
            int length = random.Next(1, field.Length + 1);
            for (int j = 0; j < length; j++)
            {
                field[j] = alphabet[random.Next(alphabet.Length)];
            }

            char separator = i % 3 == 0 ? ',' : '.';
            ReadOnlySpan<byte> text = field.AsSpan(0, length);
            bool expected = NumberParser.TryParseDigitByDigit(text, separator, out float reference);
            bool actual = NumberParser.TryParse(text, separator, out float value);
            string shown = Encoding.UTF8.GetString(text);
            Assert.AreEqual(expected, actual, $"'{shown}' with '{separator}'");
            Assert.AreEqual(BitConverter.SingleToInt32Bits(reference), BitConverter.SingleToInt32Bits(value), $"'{shown}' with '{separator}'");

            // Both variants (the vector one is what TryParse uses with SSE4.1, the 8-byte word one elsewhere).
            foreach (bool vectorized in (ReadOnlySpan<bool>)[true, false])
            {
                if (NumberParser.TryParseEight(text, (byte)separator, vectorized, out float eight))
                {
                    Assert.IsTrue(expected, $"'{shown}' with '{separator}', vectorized {vectorized}");
                    Assert.AreEqual(BitConverter.SingleToInt32Bits(reference), BitConverter.SingleToInt32Bits(eight), $"'{shown}' with '{separator}', vectorized {vectorized}");
                }
            }
        }

        foreach (string text in new[] { "12345678", "99999999", "-0.1234", "1234.567", "0.0000001", "16777217", "1677721.7", "+.1234", "123.", "00000000" })
        {
            Assert.IsTrue(NumberParser.TryParse(Encoding.UTF8.GetBytes(text), '.', out float value), text);
            Assert.AreEqual(float.Parse(text, CultureInfo.InvariantCulture), value, text);
        }
    }

    /// <summary>
    /// Bit for bit what float.Parse gives (after ',' becomes '.'), on millions of fields of the shapes exports have: a
    /// random sign, 1 to 3 integer digits, 0 to 7 decimals, either separator, sometimes blanks around; and the same from
    /// the eight-at-a-time path's 8-byte word variant (the one without SSE4.1) where it takes the field.
    /// </summary>
    [TestMethod]
    public void AgreesWithFloatParseOnTypicalFields()
    {
        var random = new Random(2026);
        Span<byte> field = stackalloc byte[16];
        Span<byte> withPoint = stackalloc byte[16];
        int eightAtATime = 0;
        for (int i = 0; i < 2_000_000; i++)
        {
            int n = 0;
            bool blanks = random.Next(16) == 0;
            if (blanks)
            {
                field[n++] = random.Next(2) == 0 ? (byte)' ' : (byte)'\t';
            }

            int sign = random.Next(5);
            if (sign > 1)
            {
                field[n++] = sign == 4 ? (byte)'+' : (byte)'-';
            }

            for (int integerDigits = random.Next(1, 4); integerDigits > 0; integerDigits--)
            {
                field[n++] = (byte)('0' + random.Next(10));
            }

            char separator = random.Next(2) == 0 ? '.' : ',';
            int decimals = random.Next(8);
            if (decimals > 0 || random.Next(2) == 0)
            {
                field[n++] = (byte)separator;
            }

            for (; decimals > 0; decimals--)
            {
                field[n++] = (byte)('0' + random.Next(10));
            }

            if (blanks && random.Next(2) == 0)
            {
                field[n++] = (byte)' ';
            }

            ReadOnlySpan<byte> text = field[..n];
            text.CopyTo(withPoint);
            withPoint[..n].Replace((byte)',', (byte)'.');
            int expected = BitConverter.SingleToInt32Bits(float.Parse(withPoint[..n], NumberStyles.Float, CultureInfo.InvariantCulture));
            bool parsed = NumberParser.TryParse(text, separator, out float value);
            bool word = NumberParser.TryParseEight(text, (byte)separator, vectorized: false, out float fromWord);
            if (!parsed || BitConverter.SingleToInt32Bits(value) != expected || (word && BitConverter.SingleToInt32Bits(fromWord) != expected))
            {
                Assert.Fail($"'{Encoding.UTF8.GetString(text)}' with '{separator}': {(parsed ? value : "refused")}, in an 8-byte word {(word ? fromWord : "refused")}");
            }

            eightAtATime += word ? 1 : 0;
        }

        Assert.IsTrue(eightAtATime > 500_000, $"{eightAtATime} fields eight at a time"); // both paths are exercised
    }
}
