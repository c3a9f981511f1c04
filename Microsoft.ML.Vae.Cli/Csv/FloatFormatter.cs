using System.Globalization;
using System.Numerics;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Writes a float as UTF-8 exactly as <c>float.TryFormat(destination, out _, default, CultureInfo.InvariantCulture)</c>
/// does: the shortest digits that read back to the same float (the closest such, ties to even), in fixed notation for
/// decimal exponents -4 to 8 and as <c>d.dddE+XX</c> otherwise.
/// </summary>
/// <remarks>
/// Score outputs are three or more floats per row, and the BCL's shortest formatting was a third of the score command's
/// CPU time. For normal values from about 1.7e-18 to 2^24 (scores, errors and latent means) the digits come from
/// Ryu's digit-removal loop (Adams, PLDI 2018) run on exact 128-bit products instead of Ryu's tables: the float's value
/// and the bounds of the interval that rounds to it, times a power of ten, shifted down exactly. Other values go to the
/// BCL. A test compares the two on a million values; <c>CliScale format-check</c> compares them on every float of the
/// fast path's exponents and beyond (about 1.6 billion values; no difference).
/// </remarks>
internal static class FloatFormatter
{
    /// <summary>The most bytes one value takes (<c>-1.2345678E-05</c> and the like).</summary>
    public const int MaxLength = 32;

    private const int MantissaBits = 23;
    private const int ExponentBias = 127;

    /// <summary>Smallest biased exponent handled here: with it, 10^n times the interval bounds still fits in 128 bits.</summary>
    private const int MinFastExponent = ExponentBias - 59;

    /// <summary>Largest biased exponent handled here (values below 2^24): the value's binary exponent stays negative.</summary>
    private const int MaxFastExponent = ExponentBias + 23;

    private static readonly UInt128[] s_powersOfTen = PowersOfTen(30);

    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the bytes written.</summary>
    public static int Format(float value, Span<byte> destination)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        int exponent = (int)((bits >> MantissaBits) & 0xFF);
        if (exponent is < MinFastExponent or > MaxFastExponent)
        {
            value.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture);
            return written;
        }

        (ulong digits, int exponent10) = ShortestDigits(bits & ((1u << MantissaBits) - 1), exponent);
        return Write(bits >> 31 != 0, digits, exponent10, destination);
    }

    /// <summary>Ryu's general case: the shortest <c>digits * 10^exponent10</c> inside the float's rounding interval, closest to it.</summary>
    private static (ulong Digits, int Exponent10) ShortestDigits(uint ieeeMantissa, int ieeeExponent)
    {
        uint m2 = ieeeMantissa | (1u << MantissaBits);
        int e2 = ieeeExponent - ExponentBias - MantissaBits - 2; // value = (4 * m2) * 2^e2, bounds at +-2 (or -1 below a power of two)
        bool acceptBounds = (m2 & 1) == 0; // round-half-even: an even mantissa owns the midpoints
        uint mv = 4 * m2;
        uint below = ieeeMantissa != 0 || ieeeExponent <= 1 ? 2u : 1u; // the lower bound is closer below a power of two

        // Scale by 10^n so the value has about ten integer digits, then shift the binary exponent out exactly.
        int n = 9 - Log10Pow2(ieeeExponent - ExponentBias);
        UInt128 power = s_powersOfTen[n];
        int shift = -e2;
        UInt128 mask = (UInt128.One << shift) - 1;
        UInt128 r = mv * power, p = r + (power << 1), m = r - (below * power);
        ulong vr = (ulong)(r >> shift), vp = (ulong)(p >> shift), vm = (ulong)(m >> shift);
        bool vrIsTrailingZeros = (r & mask) == 0;
        bool vmIsTrailingZeros = acceptBounds && (m & mask) == 0;
        if (!acceptBounds && (p & mask) == 0)
        {
            vp--; // the upper bound itself rounds away from this float
        }

        int removed = 0;
        ulong lastRemovedDigit = 0;
        while (vp / 10 > vm / 10)
        {
            vmIsTrailingZeros &= vm % 10 == 0;
            vrIsTrailingZeros &= lastRemovedDigit == 0;
            lastRemovedDigit = vr % 10;
            vr /= 10;
            vp /= 10;
            vm /= 10;
            removed++;
        }

        if (vmIsTrailingZeros)
        {
            while (vm % 10 == 0)
            {
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vr % 10;
                vr /= 10;
                vp /= 10;
                vm /= 10;
                removed++;
            }
        }

        if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0)
        {
            lastRemovedDigit = 4; // exactly halfway: round to even
        }

        ulong output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1ul : 0ul);
        return (output, removed - n);
    }

    /// <summary>The BCL's layout of <c>digits * 10^exponent10</c>: fixed for a leading-digit exponent of -4 to 8, else scientific.</summary>
    private static int Write(bool negative, ulong digits, int exponent10, Span<byte> destination)
    {
        Span<byte> text = stackalloc byte[20];
        digits.TryFormat(text, out int length, default, CultureInfo.InvariantCulture);
        int leading = length - 1 + exponent10; // the exponent of the first digit
        int at = 0;
        if (negative)
        {
            destination[at++] = (byte)'-';
        }

        if (leading is < -4 or > 8)
        {
            destination[at++] = text[0];
            if (length > 1)
            {
                destination[at++] = (byte)'.';
                text[1..length].CopyTo(destination[at..]);
                at += length - 1;
            }

            destination[at++] = (byte)'E';
            destination[at++] = leading < 0 ? (byte)'-' : (byte)'+';
            int magnitude = Math.Abs(leading);
            if (magnitude < 10)
            {
                destination[at++] = (byte)'0';
            }

            magnitude.TryFormat(destination[at..], out int written, default, CultureInfo.InvariantCulture);
            return at + written;
        }

        if (leading < 0)
        {
            destination[at++] = (byte)'0';
            destination[at++] = (byte)'.';
            destination.Slice(at, -leading - 1).Fill((byte)'0');
            at += -leading - 1;
            text[..length].CopyTo(destination[at..]);
            return at + length;
        }

        if (leading >= length - 1)
        {
            text[..length].CopyTo(destination[at..]);
            at += length;
            destination.Slice(at, leading - (length - 1)).Fill((byte)'0');
            return at + leading - (length - 1);
        }

        text[..(leading + 1)].CopyTo(destination[at..]);
        at += leading + 1;
        destination[at++] = (byte)'.';
        text[(leading + 1)..length].CopyTo(destination[at..]);
        return at + length - leading - 1;
    }

    /// <summary>floor(e * log10(2)) for |e| up to 1650 (Ryu's constant).</summary>
    private static int Log10Pow2(int e) => (e * 78913) >> 18;

    private static UInt128[] PowersOfTen(int count)
    {
        var powers = new UInt128[count];
        powers[0] = 1;
        for (int i = 1; i < count; i++)
        {
            powers[i] = powers[i - 1] * 10;
        }

        return powers;
    }
}
