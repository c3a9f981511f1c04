using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Writes a float as UTF-8 exactly as <c>float.TryFormat(destination, out _, default, CultureInfo.InvariantCulture)</c>
/// does: the shortest digits that read back to the same float (the closest such, ties to even), in fixed notation for
/// decimal exponents -4 to 8 and as <c>d.dddE+XX</c> otherwise.
/// </summary>
/// <remarks>
/// Score outputs are three or more floats per row, and the BCL's shortest formatting weighed on the score command
/// (benchmarks/README.md, CLI scale). The digits come from Dragonbox (Jeon, "Dragonbox: A New Floating-Point Binary-to-Decimal Conversion
/// Algorithm", 2020) for every finite value: one 64x32-bit product with a power of ten, one division by 100 and a few
/// comparisons in the common case, no digit-removal loop. They are turned into text eight at a time in a 64-bit
/// register and laid out with a few unaligned stores (no bounds checks past the one on the destination's length).
/// NaN and the infinities go to the BCL. A test compares the two on a million values; <c>CliScale format-check</c>
/// compares them on every float.
/// </remarks>
internal static class FloatFormatter
{
    /// <summary>
    /// The bytes <see cref="Format"/> needs in its destination (the longest text, such as <c>-1.23456789E-38</c>, is 15, but
    /// it stores eight bytes at a time): bytes past the length it returns may be overwritten.
    /// </summary>
    public const int MaxLength = 32;

    private const int MantissaBits = 23;
    private const int ExponentBias = 127 + MantissaBits; // value = significand * 2^(exponent - ExponentBias)

    /// <summary>The powers of ten 10^-k a float is scaled by, from the largest power of two's to float.Epsilon's.</summary>
    private const int MinPower = -31, MaxPower = 46;

    private const ulong AsciiZeros = 0x3030_3030_3030_3030; // "00000000"

    /// <summary>
    /// 10^e for e from <see cref="MinPower"/> to <see cref="MaxPower"/>, rounded up to 64 significant bits: g =
    /// ceil(10^e / 2^r) with r = floor(log2(10^e)) - 63, so 2^63 &lt;= g &lt; 2^64 (exact for e from 0 to 27). Constant
    /// data, so no static constructor (or its check on every call).
    /// </summary>
    private static ReadOnlySpan<ulong> PowersOfTen =>
    [
        0x81CEB32C4B43FCF5, 0xA2425FF75E14FC32, 0xCAD2F7F5359A3B3F, 0xFD87B5F28300CA0E,
        0x9E74D1B791E07E49, 0xC612062576589DDB, 0xF79687AED3EEC552, 0x9ABE14CD44753B53,
        0xC16D9A0095928A28, 0xF1C90080BAF72CB2, 0x971DA05074DA7BEF, 0xBCE5086492111AEB,
        0xEC1E4A7DB69561A6, 0x9392EE8E921D5D08, 0xB877AA3236A4B44A, 0xE69594BEC44DE15C,
        0x901D7CF73AB0ACDA, 0xB424DC35095CD810, 0xE12E13424BB40E14, 0x8CBCCC096F5088CC,
        0xAFEBFF0BCB24AAFF, 0xDBE6FECEBDEDD5BF, 0x89705F4136B4A598, 0xABCC77118461CEFD,
        0xD6BF94D5E57A42BD, 0x8637BD05AF6C69B6, 0xA7C5AC471B478424, 0xD1B71758E219652C,
        0x83126E978D4FDF3C, 0xA3D70A3D70A3D70B, 0xCCCCCCCCCCCCCCCD, 0x8000000000000000,
        0xA000000000000000, 0xC800000000000000, 0xFA00000000000000, 0x9C40000000000000,
        0xC350000000000000, 0xF424000000000000, 0x9896800000000000, 0xBEBC200000000000,
        0xEE6B280000000000, 0x9502F90000000000, 0xBA43B74000000000, 0xE8D4A51000000000,
        0x9184E72A00000000, 0xB5E620F480000000, 0xE35FA931A0000000, 0x8E1BC9BF04000000,
        0xB1A2BC2EC5000000, 0xDE0B6B3A76400000, 0x8AC7230489E80000, 0xAD78EBC5AC620000,
        0xD8D726B7177A8000, 0x878678326EAC9000, 0xA968163F0A57B400, 0xD3C21BCECCEDA100,
        0x84595161401484A0, 0xA56FA5B99019A5C8, 0xCECB8F27F4200F3A, 0x813F3978F8940985,
        0xA18F07D736B90BE6, 0xC9F2C9CD04674EDF, 0xFC6F7C4045812297, 0x9DC5ADA82B70B59E,
        0xC5371912364CE306, 0xF684DF56C3E01BC7, 0x9A130B963A6C115D, 0xC097CE7BC90715B4,
        0xF0BDC21ABB48DB21, 0x96769950B50D88F5, 0xBC143FA4E250EB32, 0xEB194F8E1AE525FE,
        0x92EFD1B8D0CF37BF, 0xB7ABC627050305AE, 0xE596B7B0C643C71A, 0x8F7E32CE7BEA5C70,
        0xB35DBF821AE4F38C, 0xE0352F62A19E306F,
    ];

    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the bytes written.</summary>
    public static int Format(float value, Span<byte> destination)
    {
        if (destination.Length < MaxLength)
        {
            ThrowTooShort();
        }

        uint bits = BitConverter.SingleToUInt32Bits(value);
        int exponent = (int)(bits >> MantissaBits) & 0xFF;
        uint mantissa = bits & ((1u << MantissaBits) - 1);
        if (exponent == 0xFF || !BitConverter.IsLittleEndian)
        {
            return FormatWithBcl(value, destination);
        }

        ref byte start = ref MemoryMarshal.GetReference(destination);
        int at = (int)(bits >> 31);
        start = (byte)'-'; // kept only for a negative value: at = 1
        if ((bits & 0x7FFF_FFFF) == 0)
        {
            Unsafe.Add(ref start, at) = (byte)'0';
            return at + 1;
        }

        (uint digits, int exponent10) = mantissa == 0 && exponent > 1
            ? PowerOfTwoDigits(exponent - ExponentBias)
            : ShortestDigits(mantissa, exponent);
        return at + Write(digits, exponent10, ref Unsafe.Add(ref start, at));
    }

    /// <summary>NaN and the infinities (and big-endian machines): out of line, so its stack frame is not set up on every call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FormatWithBcl(float value, Span<byte> destination)
    {
        value.TryFormat(destination, out int written, default, CultureInfo.InvariantCulture);
        return written;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort() =>
        throw new ArgumentException($"The destination needs at least {MaxLength} bytes.", "destination");

    /// <summary>
    /// Dragonbox for a float whose neighbours are equally far (all but the powers of two): the shortest
    /// <c>digits * 10^exponent10</c> that rounds back to it, the closest to it (ties to even) when several are.
    /// </summary>
    /// <remarks>
    /// The value is fc 2^e, its rounding interval fc 2^e +- 2^(e-1), ends included when fc is even. Scaled by 10^-k, k =
    /// floor(log10(2^e)) - 1, the interval is about delta (10 to 99) units wide and its upper end is z. If z - (z mod 100)
    /// is inside, it is the one multiple of 100 there: two digits fewer than z (any trailing zeros are dropped by
    /// <see cref="Write"/>). Otherwise the answer is the value rounded to the nearest ten of those units, found from
    /// z mod 100 and delta; the fractions that decide exact ends and ties come from the low bits of the same products.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Digits, int Exponent10) ShortestDigits(uint ieeeMantissa, int ieeeExponent)
    {
        uint twoFc = (ieeeExponent == 0 ? ieeeMantissa : ieeeMantissa | (1u << MantissaBits)) << 1;
        int e = Math.Max(ieeeExponent, 1) - ExponentBias;
        bool includeEnds = (twoFc & 2) == 0; // round-half-even: an even significand owns the interval's ends
        int k = ((e * 1262611) >> 22) - 1; // floor(log10(2^e)) - 1
        ulong pow10 = PowersOfTen[-k - MinPower];
        int beta = e + ((-k * 1741647) >> 19); // e + floor(log2(10^-k)): 3 to 6
        uint delta = (uint)(pow10 >> (63 - beta));

        // z, the upper end times 10^-k, is (2 fc + 1) 2^beta pow10 / 2^64: its integer part, and whether it has no fraction.
        ulong zScaled = MultiplyHigh32(pow10, (twoFc | 1) << beta);
        uint z = (uint)(zScaled >> 32);
        bool zIsInteger = (uint)zScaled == 0;

        uint digits = z / 100;
        uint r = z - 100 * digits;
        if (r < delta)
        {
            if (r == 0 && zIsInteger && !includeEnds)
            {
                // digits * 100 is the upper end itself, which an odd significand does not own: one digit fewer instead.
                digits--;
                r = 100;
                return Nearest(digits, r, delta, twoFc, pow10, beta, k);
            }

            return (digits, k + 2);
        }

        if (r > delta || !LowerEndInside(twoFc, pow10, beta, includeEnds))
        {
            return Nearest(digits, r, delta, twoFc, pow10, beta, k);
        }

        return (digits, k + 2);
    }

    /// <summary>
    /// When z mod 100 equals delta: whether digits * 100 is still inside (above the lower end, or on it when the ends are
    /// included), from the parity and fraction of the lower end's product.
    /// </summary>
    private static bool LowerEndInside(uint twoFc, ulong pow10, int beta, bool includeEnds)
    {
        ulong x = (twoFc - 1) * pow10; // the lower end's product, its bits from 64 - beta on being its integer part
        bool parity = ((x >> (64 - beta)) & 1) != 0;
        bool isInteger = (uint)(x >> (32 - beta)) == 0;
        return parity | (isInteger & includeEnds);
    }

    /// <summary>
    /// One digit fewer than z: the value rounded to the nearest ten units, 10 (z div 100) + (z mod 100 - delta / 2 + 5) / 10
    /// give or take one; when that division is exact, the parity and fraction of the value's own product settle which
    /// (and break a tie to even).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Digits, int Exponent10) Nearest(uint digits, uint r, uint delta, uint twoFc, ulong pow10, int beta, int k)
    {
        uint distance = r - (delta / 2) + 5;
        bool approximateParity = ((distance ^ 5) & 1) != 0;
        uint tens = distance / 10;
        digits = digits * 10 + tens;
        if (distance == tens * 10)
        {
            ulong y = twoFc * pow10;
            bool parity = ((y >> (64 - beta)) & 1) != 0;
            bool isInteger = (uint)(y >> (32 - beta)) == 0;
            if (parity != approximateParity || ((digits & 1) != 0 && isInteger))
            {
                digits--; // below the approximation, or a tie that goes to the even neighbour
            }
        }

        return (digits, k + 1);
    }

    /// <summary>
    /// Dragonbox's case for a power of two 2^23 2^e (the lower neighbour is half as far as the upper): the interval's ends
    /// scaled by 10^-k, k = floor(log10(3/4 2^e)), come straight from the power of ten's bits.
    /// </summary>
    private static (uint Digits, int Exponent10) PowerOfTwoDigits(int e)
    {
        int k = (e * 631305 - 261663) >> 21; // floor(log10(2^e) - log10(4/3))
        ulong pow10 = PowersOfTen[-k - MinPower];
        int beta = e + ((-k * 1741647) >> 19);
        uint lower = (uint)((pow10 - (pow10 >> (MantissaBits + 2))) >> (64 - MantissaBits - 1 - beta));
        uint upper = (uint)((pow10 + (pow10 >> (MantissaBits + 1))) >> (64 - MantissaBits - 1 - beta));
        if (e is not (2 or 3))
        {
            lower++; // the lower end is an integer only for 2^25 and 2^26: otherwise the first integer above it
        }

        uint digits = upper / 10;
        if (digits * 10 >= lower)
        {
            return (digits, k + 1);
        }

        // The value rounded to the nearest unit; the one tie (2^-12, e = -35) goes to the even neighbour.
        digits = ((uint)(pow10 >> (64 - MantissaBits - 2 - beta)) + 1) / 2;
        if ((digits & 1) != 0 && e == -35)
        {
            digits--;
        }
        else if (digits < lower)
        {
            digits++;
        }

        return (digits, k);
    }

    /// <summary>floor(g u / 2^32) for u below 2^32: in 64-bit products of g's halves, which the JIT keeps in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyHigh32(ulong g, uint u) => (g >> 32) * u + (((g & 0xFFFF_FFFF) * u) >> 32);

    /// <summary>
    /// The BCL's layout of <c>digits * 10^exponent10</c> (digits at most nine, not zero) at <paramref name="text"/>: fixed
    /// for a leading-digit exponent of -4 to 8, else scientific with a two-digit exponent. Returns the bytes written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Write(uint digits, int exponent10, ref byte text)
    {
        // The digits as the first one and up to eight more (rest, the next in the lowest byte); trailing zeros dropped.
        uint first;
        ulong rest;
        int length;
        if (digits >= 100_000_000)
        {
            first = digits / 100_000_000;
            rest = EightDigits(digits - first * 100_000_000);
            length = 9;
        }
        else
        {
            ulong all = EightDigits(digits);
            int leadingZeros = BitOperations.TrailingZeroCount(all) >> 3; // digits is not zero, so all is not
            first = (uint)(all >> (leadingZeros * 8)) & 0xFF;
            rest = all >> (leadingZeros * 8) >> 8;
            length = 8 - leadingZeros;
        }

        // Zero bytes at the top of rest: the 9 - length past the digits, then the trailing zero digits (all eight bytes
        // when rest is zero).
        int trailingZeros = (BitOperations.LeadingZeroCount(rest) >> 3) - (9 - length);
        length -= trailingZeros;
        exponent10 += trailingZeros;
        rest += AsciiZeros; // bytes past the digits become '0': harmless, they are overwritten or not counted
        byte firstDigit = (byte)('0' + first);
        int leading = length - 1 + exponent10; // the exponent of the first digit

        if (leading is < -4 or > 8)
        {
            text = firstDigit;
            int at = 1;
            if (length > 1)
            {
                Unsafe.Add(ref text, 1) = (byte)'.';
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, 2), rest);
                at = length + 1;
            }

            // "E+XX" / "E-XX": a float's decimal exponent is -45 to 38.
            uint magnitude = (uint)Math.Abs(leading);
            uint tens = magnitude / 10;
            uint e = 'E' | (uint)(leading < 0 ? '-' : '+') << 8 | ('0' + tens) << 16 | ('0' + magnitude - tens * 10) << 24;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, at), e);
            return at + 4;
        }

        if (leading < 0)
        {
            // "0." and -leading - 1 zeros, then the digits.
            Unsafe.WriteUnaligned(ref text, (AsciiZeros & ~0xFF00ul) | '.' << 8);
            int at = 1 - leading;
            Unsafe.Add(ref text, at) = firstDigit;
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, at + 1), rest);
            return at + length;
        }

        text = firstDigit;
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, 1), rest);
        if (leading >= length - 1)
        {
            // An integer: zeros after the digits up to the units.
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, length), AsciiZeros);
            return leading + 1;
        }

        // The point after leading + 1 digits: the digits after it move one byte on.
        Unsafe.Add(ref text, leading + 1) = (byte)'.';
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref text, leading + 2), rest >> (leading * 8));
        return length + 1;
    }

    /// <summary>
    /// The eight decimal digits of <paramref name="value"/> (below 10^8, leading zeros included) as byte values 0-9, the
    /// most significant in the lowest byte: halves, quarters and single digits split in parallel lanes by
    /// multiply-and-shift divisions (exact for these ranges).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(uint value)
    {
        uint high = value / 10_000;
        ulong x = high | (ulong)(value - high * 10_000) << 32; // two lanes of four digits
        ulong hundreds = ((x * 10486) >> 20) & 0x0000_007F_0000_007F; // lane / 100 (lanes below 10^4)
        x = hundreds | (x - hundreds * 100) << 16; // four lanes of two digits
        ulong tens = ((x * 103) >> 10) & 0x000F_000F_000F_000F; // lane / 10 (lanes below 100)
        return tens | (x - tens * 10) << 8;
    }
}
