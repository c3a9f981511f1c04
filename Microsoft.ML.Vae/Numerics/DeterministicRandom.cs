using System.Runtime.CompilerServices;
namespace Microsoft.ML.Vae.Numerics;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a small generator whose stream is fixed by its seed on every
/// platform and .NET version (System.Random's seeded stream is not promised to stay the same).
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DeterministicRandom(long seed)
    {
        ulong x = unchecked((ulong)seed);
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive) => (int)((NextUInt64() >> 33) * (ulong)maxExclusive >> 31);

    /// <summary>Fills <paramref name="destination"/> with standard normal draws (Box-Muller, both outputs used).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FillGaussian(Span<float> destination)
    {
        int i = 0;
        for (; i + 1 < destination.Length; i += 2)
        {
            (double a, double b) = NextGaussianPair();
            destination[i] = (float)a;
            destination[i + 1] = (float)b;
        }

        if (i < destination.Length)
        {
            destination[i] = (float)NextGaussianPair().A;
        }
    }

    private (double A, double B) NextGaussianPair()
    {
        double u1 = 1.0 - NextDouble(); // (0, 1]: log stays finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
        return (radius * cos, radius * sin);
    }

    /// <summary>0 .. <paramref name="count"/> - 1 in the order of a <see cref="Shuffle"/>.</summary>
    public int[] Permutation(int count)
    {
        int[] order = [.. Enumerable.Range(0, count)];
        Shuffle(order);
        return order;
    }

    /// <summary>Fisher-Yates shuffle.</summary>
    public void Shuffle(Span<int> items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
