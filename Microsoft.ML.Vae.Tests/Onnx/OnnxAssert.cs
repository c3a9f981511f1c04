namespace Microsoft.ML.Vae.Tests.Onnx;

/// <summary>Comparison of ONNX Runtime outputs with managed ones: |a - e| ≤ 1e-6 + 1e-5·|e|.</summary>
internal static class OnnxAssert
{
    public const double Relative = 1e-5;
    public const double Absolute = 1e-6;

    private static double largestDifference;
    private static double largestToleranceUsed;

    /// <summary>The largest |a - e| any comparison in this process has seen.</summary>
    public static double LargestDifference => Volatile.Read(ref largestDifference);

    /// <summary>The largest |a - e| / (1e-6 + 1e-5·|e|) seen: 1 would be right at the tolerance.</summary>
    public static double LargestToleranceUsed => Volatile.Read(ref largestToleranceUsed);

    public static void Close(double expected, double actual, string what)
    {
        double difference = Math.Abs(actual - expected);
        double tolerance = Absolute + (Relative * Math.Abs(expected));
        RecordMax(ref largestDifference, difference);
        RecordMax(ref largestToleranceUsed, difference / tolerance);
        if (!(difference <= tolerance))
        {
            Assert.Fail($"{what}: expected {expected:R}, ONNX Runtime gave {actual:R} (difference {difference:E2}).");
        }
    }

    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, $"{what}: length");
        for (int i = 0; i < expected.Length; i++)
        {
            Close(expected[i], actual[i], $"{what}[{i}]");
        }
    }

    private static void RecordMax(ref double location, double value)
    {
        double seen;
        do
        {
            seen = Volatile.Read(ref location);
            if (!(value > seen))
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref location, value, seen) != seen);
    }
}
