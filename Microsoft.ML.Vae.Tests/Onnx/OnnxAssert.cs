namespace Microsoft.ML.Vae.Tests.Onnx;

/// <summary>Comparison of ONNX Runtime outputs with managed ones: |a - e| ≤ 1e-6 + 1e-5·|e|.</summary>
internal static class OnnxAssert
{
    public const double Relative = 1e-5;
    public const double Absolute = 1e-6;

    private static double largestRelative;

    /// <summary>The largest |a - e| / max(|e|, 1e-6) seen by any comparison in this process (for the report).</summary>
    public static double LargestRelativeDifference => Volatile.Read(ref largestRelative);

    public static void Close(double expected, double actual, string what)
    {
        double difference = Math.Abs(actual - expected);
        Record(difference / Math.Max(Math.Abs(expected), Absolute));
        if (!(difference <= Absolute + (Relative * Math.Abs(expected))))
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

    private static void Record(double relative)
    {
        double seen;
        do
        {
            seen = Volatile.Read(ref largestRelative);
            if (relative <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref largestRelative, relative, seen) != seen);
    }
}
