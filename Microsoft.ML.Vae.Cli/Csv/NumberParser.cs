using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Reads a CSV field's UTF-8 bytes as a float: an optional sign, digits with one decimal separator (<c>.</c> or, in
/// decimal-comma files, <c>,</c>), an optional exponent, spaces or tabs around. A thousands separator is never read:
/// with <c>.</c> as decimal point, <c>1,425</c> is not a number (never 1425), and with <c>,</c>, <c>1.425,5</c> is not.
/// The result is the correctly rounded float, bit for bit as <see cref="float.Parse(string, IFormatProvider)"/> gives it.
/// </summary>
/// <remarks>
/// Fields of 4 to 8 characters after the sign (<c>-0.1234</c>, the shape of most exports) take their digits eight at a
/// time: the separator found and squeezed out, all digits checked at once and combined with a few multiplications (with
/// SSE4.1 in one vector register, elsewhere in one 8-byte word: the SWAR method of simdjson and fast_float), then one
/// division. Anything else goes digit by digit, where the common case is computed directly (Clinger's fast path): up to
/// 7 digits and a power of ten up to 10, the digits as an integer times or over the exact power is one correctly rounded
/// float operation; up to 15 digits and a power up to 22, the same in double, whose rounding to float is correct unless
/// it lies exactly halfway between two floats. The rest goes to the BCL's parser, which is slower per field.
/// </remarks>
internal static class NumberParser
{
    private const int MaxFastDigits = 19;
    private const int MaxFastPower = 22;
    private const int MaxFloatPower = 10;
    private const int MaxCommaFieldLength = 128;

    /// <summary>10^0 .. 10^22, each exact in double.</summary>
    private static ReadOnlySpan<double> PowersOfTen =>
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    /// <summary>10^0 .. 10^10, each exact in float.</summary>
    private static ReadOnlySpan<float> FloatPowersOfTen => [1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f];

    /// <summary>The eight-at-a-time path's divisors by the number of integer digits (0 to 8), positive then negative.</summary>
    private static ReadOnlySpan<double> SignedDivisors => [1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1e0, -1e8, -1e7, -1e6, -1e5, -1e4, -1e3, -1e2, -1e1, -1e0];

    /// <summary>Parses <paramref name="field"/> with <paramref name="decimalSeparator"/> ('.' or ','); false when it is not a number of that form.</summary>
    /// <remarks>
    /// Only the eight-at-a-time path is inlined into the caller, so the per-field loop stays small: its only branches are
    /// the checks that send other fields away (the sign costs none), and it refuses blanks, so every other field, trimmed
    /// or not, goes to the out-of-line digit-by-digit path. That one returns bits (and whether it refused) rather than taking
    /// <paramref name="value"/> by reference, which would keep the caller's variable in memory on the fast path too.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse(ReadOnlySpan<byte> field, char decimalSeparator, out float value)
    {
        if (TryParseEight(field, (byte)decimalSeparator, vectorized: true, out value))
        {
            return true;
        }

        ulong result = ParseDigitByDigit(field, decimalSeparator);
        value = BitConverter.Int32BitsToSingle((int)result);
        return result <= uint.MaxValue;
    }

    /// <summary>The same result without the eight-at-a-time path (the reference its tests compare against).</summary>
    internal static bool TryParseDigitByDigit(ReadOnlySpan<byte> field, char decimalSeparator, out float value)
    {
        if (field.Length > 0 && (IsBlank(field[0]) || IsBlank(field[^1])))
        {
            field = field.Trim(" \t"u8);
        }

        // The fast paths take digits, one separator and an exponent only: no thousands separator can get through them.
        return TryParseFast(field, (byte)decimalSeparator, out value) || TryParseSlow(field, (byte)decimalSeparator, out value);
    }

    /// <summary>
    /// An optional sign, then 4 to 8 characters of digits with at most one separator; false (and the digit-by-digit path
    /// decides) for anything else. Without <paramref name="vectorized"/> or SSE4.1, the digits are read in one 8-byte word.
    /// </summary>
    /// <remarks>
    /// The digits are read as the 8-digit integer <c>w</c> they make with '0's appended, so the value is
    /// <c>w / 10^(8 - i)</c> with <c>i</c> the number of digits before the separator: no shift by the digit count, one
    /// division for every value. It is done in double: <c>w</c> (below 2^27) and the power are exact there, and such a
    /// quotient is either exactly a double or at least 2^-44 (relative) away from every midpoint between two floats,
    /// farther than the double's rounding error (2^-53), so rounding it to float gives the correctly rounded float. The
    /// sign is the divisor's: a negative divisor negates the rounded quotient exactly, -0 included.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TryParseEight(ReadOnlySpan<byte> field, byte separator, bool vectorized, out float value)
    {
        value = 0;
        int length = field.Length;
        if ((uint)(length - 4) > 5)
        {
            return false;
        }

        ref byte start = ref MemoryMarshal.GetReference(field);
        uint first = start;
        int signed = ((first - '+') & ~2u) == 0 ? 1 : 0; // '+' (0x2B) or '-' (0x2D), without a branch
        int negative = first == '-' ? 1 : 0;
        int count = length - signed;
        if ((uint)(count - 4) > 4)
        {
            return false;
        }

        // Two overlapping 4-byte loads cover the 4 to 8 characters without reading past the field.
        uint head = Load(ref Unsafe.Add(ref start, signed)), tail = Load(ref Unsafe.Add(ref start, length - 4));
        double digits;
        int integerDigits;
        if (!(vectorized && Sse41.IsSupported
            ? TryReadDigitsVector(head, tail, count, separator, out digits, out integerDigits)
            : TryReadDigitsWord(head, tail, count, separator, out digits, out integerDigits)))
        {
            return false;
        }

        value = (float)(digits / Unsafe.Add(ref MemoryMarshal.GetReference(SignedDivisors), (nuint)(uint)((9 * negative) + integerDigits)));
        return true;
    }

    /// <summary>
    /// The <paramref name="count"/> characters (<paramref name="head"/>: the first 4, <paramref name="tail"/>: the last 4)
    /// as the 8-digit integer <paramref name="digits"/> they make without the separator and with '0's appended, and the
    /// digits before the separator (all of them without one); false if any other character is not a digit.
    /// </summary>
    /// <remarks>
    /// The characters go right-aligned into the upper half of a vector whose lower half is zero, char <c>c</c> in lane
    /// <c>16 - count + c</c>. One shuffle takes digit <c>i</c> from the lane of char <c>i</c>, or of char <c>i + 1</c>
    /// from the separator on; a lane past the field is past 15 and wraps to the zero half, which makes the appended 0s.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadDigitsVector(uint head, uint tail, int count, byte separator, out double digits, out int integerDigits)
    {
        ulong word = ((ulong)tail << 32) | ((ulong)head << (64 - (8 * count)));
        Vector128<byte> chars = Vector128.Create(0UL, word).AsByte();
        int end = BitOperations.TrailingZeroCount(Vector128.Equals(chars, Vector128.Create(separator)).ExtractMostSignificantBits() | 0x10000); // 16 without a separator
        integerDigits = end - (16 - count);

        // Lanes of chars 0..7, one more from the separator's lane (the end) on; the upper 8 out of range (0 in the shuffle).
        Vector128<sbyte> lanes = Vector128.Create(0, 1, 2, 3, 4, 5, 6, 7, -128, -128, -128, -128, -128, -128, -128, -128) + Vector128.Create((sbyte)(16 - count));
        Vector128<sbyte> control = lanes - Vector128.GreaterThan(lanes, Vector128.Create((sbyte)(end - 1)));
        Vector128<byte> values = Ssse3.Shuffle(chars - Vector128.Create(0UL, 0x3030303030303030UL).AsByte(), control.AsByte());
        if (Sse2.SubtractSaturate(values, Vector128.Create((byte)9)) != Vector128<byte>.Zero) // any lane above 9 (the separator is not taken)
        {
            digits = 0;
            return false;
        }

        Vector128<short> pairs = Ssse3.MultiplyAddAdjacent(values, Vector128.Create(10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1));
        Vector128<int> fours = Sse2.MultiplyAddAdjacent(pairs, Vector128.Create(100, 1, 100, 1, 100, 1, 100, 1));
        Vector128<int> eight = Sse2.MultiplyAddAdjacent(Sse41.PackUnsignedSaturate(fours, fours).AsInt16(), Vector128.Create(10000, 1, 10000, 1, 10000, 1, 10000, 1));
        digits = Sse2.ConvertToVector128Double(eight).ToScalar();
        return true;
    }

    /// <summary><see cref="TryReadDigitsVector"/> in one 8-byte word (byte <c>c</c> is char <c>c</c>), for any processor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadDigitsWord(uint head, uint tail, int count, byte separator, out double digits, out int integerDigits)
    {
        const ulong Ones = 0x0101010101010101UL, Highs = 0x8080808080808080UL, Zeros = 0x3030303030303030UL;
        ulong word = head | ((ulong)tail << (8 * (count - 4)));
        ulong used = ulong.MaxValue >> (64 - (8 * count));

        // A zero byte at the separator and past the field: the first one is where the integer digits end.
        ulong match = word ^ ((Ones * separator) & used);
        ulong found = (match - Ones) & ~match & Highs; // exact at the first zero byte (borrows only run above it)
        integerDigits = BitOperations.TrailingZeroCount(found) >> 3;
        ulong below = ((found & (0 - found)) >> 7) - 1; // the bytes before it (all of them if none)

        // '0'..'9' to 0..9 (0 past the field), that byte squeezed out (a 0 in its place at the top): then all 8 must be 0..9
        // (above 9 carries into the byte's high bit; a carry into the next byte needs a byte already above 9).
        ulong values = word ^ (Zeros & used);
        values = (values & below) | ((values >> 8) & ~below);
        if (((values | (values + 0x7676767676767676UL)) & Highs) != 0)
        {
            digits = 0;
            return false;
        }

        values = (values * 10) + (values >> 8);
        values = (((values & 0x000000FF000000FFUL) * (100 + (1000000UL << 32))) + (((values >> 16) & 0x000000FF000000FFUL) * (1 + (10000UL << 32)))) >> 32;
        digits = (long)values;
        return true;
    }

    /// <summary>4 bytes, the first in the lowest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // one instruction, but in large callers the JIT's budget left it a call
    private static uint Load(ref byte at)
    {
        uint bytes = Unsafe.ReadUnaligned<uint>(ref at);
        return BitConverter.IsLittleEndian ? bytes : BinaryPrimitives.ReverseEndianness(bytes);
    }

    /// <summary><see cref="TryParseDigitByDigit"/>'s float as its bits, with bit 32 set when it refuses the field.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)] // the rarer fields: kept out of the callers' per-field loops
    private static ulong ParseDigitByDigit(ReadOnlySpan<byte> field, char decimalSeparator)
    {
        bool parsed = TryParseDigitByDigit(field, decimalSeparator, out float value);
        return (parsed ? 0 : 1UL << 32) | (uint)BitConverter.SingleToInt32Bits(value);
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // into TryParseDigitByDigit, its only caller
    private static bool TryParseFast(ReadOnlySpan<byte> s, byte separator, out float value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
        {
            negative = s[i] == (byte)'-';
            i++;
        }

        ulong mantissa = 0;
        int digits = 0, exponent = 0;
        for (; i < s.Length && (uint)(s[i] - '0') <= 9; i++)
        {
            if (++digits > MaxFastDigits)
            {
                return false;
            }

            mantissa = (mantissa * 10) + (uint)(s[i] - '0');
        }

        if (i < s.Length && s[i] == separator)
        {
            for (i++; i < s.Length && (uint)(s[i] - '0') <= 9; i++)
            {
                if (++digits > MaxFastDigits)
                {
                    return false;
                }

                mantissa = (mantissa * 10) + (uint)(s[i] - '0');
                exponent--;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        if (i < s.Length && s[i] is (byte)'e' or (byte)'E')
        {
            i++;
            bool negativeExponent = i < s.Length && s[i] == (byte)'-';
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            {
                i++;
            }

            int start = i, power = 0;
            for (; i < s.Length && (uint)(s[i] - '0') <= 9 && i - start < 4; i++)
            {
                power = (power * 10) + (s[i] - '0');
            }

            if (i == start)
            {
                return false;
            }

            exponent += negativeExponent ? -power : power;
        }

        if (i != s.Length)
        {
            return false;
        }

        float rounded;
        if (mantissa <= (1UL << 24) && Math.Abs(exponent) <= MaxFloatPower)
        {
            // Both operands exact in float: one float operation rounds once (the common case, up to 7 digits).
            float whole = (long)mantissa; // through long: a signed conversion is one instruction, an unsigned one is not
            rounded = exponent < 0 ? whole / FloatPowersOfTen[-exponent] : whole * FloatPowersOfTen[exponent];
        }
        else if (mantissa <= (1UL << 53) && Math.Abs(exponent) <= MaxFastPower)
        {
            double whole = (long)mantissa;
            double exact = exponent < 0 ? whole / PowersOfTen[-exponent] : whole * PowersOfTen[exponent];
            rounded = (float)exact;
            if (!float.IsFinite(rounded) || IsHalfway(exact, rounded))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        value = negative ? -rounded : rounded;
        return true;
    }

    /// <summary>Whether <paramref name="exact"/> lies exactly between <paramref name="rounded"/> and its neighbour (then double rounding could be wrong).</summary>
    private static bool IsHalfway(double exact, float rounded)
    {
        if (exact == rounded)
        {
            return false;
        }

        float neighbour = exact > rounded ? MathF.BitIncrement(rounded) : MathF.BitDecrement(rounded);
        return exact == ((double)rounded + neighbour) * 0.5;
    }

    private static bool TryParseSlow(ReadOnlySpan<byte> s, byte separator, out float value)
    {
        value = 0;
        if (s.IndexOf(separator == (byte)'.' ? (byte)',' : (byte)'.') >= 0)
        {
            return false; // the other separator can only be a thousands separator, which is never read
        }

        if (separator == (byte)'.')
        {
            return float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }

        if (s.Length > MaxCommaFieldLength)
        {
            return false;
        }

        Span<byte> copy = stackalloc byte[s.Length];
        s.CopyTo(copy);
        copy.Replace((byte)',', (byte)'.');
        return float.TryParse(copy, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
