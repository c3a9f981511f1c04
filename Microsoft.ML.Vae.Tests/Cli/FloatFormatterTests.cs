using System.Globalization;
using System.Text;
using Microsoft.ML.Vae.Cli.Csv;

namespace Microsoft.ML.Vae.Tests.Cli;

[TestClass]
public sealed class FloatFormatterTests
{
    private static string Bcl(float value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Ours(float value)
    {
        Span<byte> bytes = stackalloc byte[FloatFormatter.MaxLength];
        return Encoding.UTF8.GetString(bytes[..FloatFormatter.Format(value, bytes)]);
    }

    [TestMethod]
    [DataRow(0f)]
    [DataRow(-0f)]
    [DataRow(1f)]
    [DataRow(0.1f)]
    [DataRow(1e-4f)]
    [DataRow(1e-5f)]
    [DataRow(1.5e-5f)]
    [DataRow(123456790f)]
    [DataRow(1e9f)]
    [DataRow(16777216f)]
    [DataRow(16777215f)]
    [DataRow(8388608f)]
    [DataRow(0.019561974f)]
    [DataRow(7.783435E-05f)]
    [DataRow(float.Epsilon)]
    [DataRow(float.MaxValue)]
    [DataRow(float.NaN)]
    [DataRow(float.NegativeInfinity)]
    public void WritesWhatTheBclWrites(float value) => Assert.AreEqual(Bcl(value), Ours(value));

    [TestMethod]
    public void MatchesTheBclOnAMillionValues()
    {
        // Random bit patterns (every exponent), values of every magnitude the fast path takes, powers of two (where the
        // rounding interval is lopsided) and values with few digits (where ties and trailing zeros matter).
        var random = new Random(20261202);
        for (int i = 0; i < 1_000_000; i++)
        {
            float value = (i % 4) switch
            {
                0 => BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32)),
                1 => (float)(random.NextDouble() * Math.Pow(10, random.Next(-19, 9))),
                2 => MathF.ScaleB(1f, random.Next(-62, 26)) * (random.Next(2) == 0 ? 1 : -1),
                _ => random.Next(-100_000, 100_000) / MathF.Pow(10, random.Next(0, 12)),
            };
            string ours = Ours(value);
            if (ours != Bcl(value))
            {
                Assert.Fail($"{value:R} (bits {BitConverter.SingleToUInt32Bits(value):X8}): wrote {ours}, the BCL writes {Bcl(value)}");
            }
        }
    }
}
