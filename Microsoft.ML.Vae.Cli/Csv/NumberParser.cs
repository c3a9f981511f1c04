using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// Reads a CSV field's UTF-8 bytes as a float: an optional sign, digits with one decimal separator (<c>.</c> or, in
/// decimal-comma files, <c>,</c>), an optional exponent, spaces or tabs around. A thousands separator is never read:
/// with <c>.</c> as decimal point, <c>1,425</c> is not a number (never 1425), and with <c>,</c>, <c>1.425,5</c> is not.
/// The result is the correctly rounded float, bit for bit as <see cref="float.Parse(string, IFormatProvider)"/> gives it.
/// </summary>
/// <remarks>
/// The common case is computed directly (Clinger's fast path): up to 7 digits and a power of ten up to 10, the digits
/// as an integer times or over the exact power is one correctly rounded float operation; up to 15 digits and a power
/// up to 22, the same in double, whose rounding to float is correct unless it lies exactly halfway between two floats.
/// Everything else goes to the BCL's parser, which is two to three times slower per field. Fields of 4 to 8 characters
/// after the sign (<c>-0.1234</c>, the shape of most exports) take their digits eight at a time: one 8-byte word,
/// the separator found and squeezed out with bit operations, all bytes checked to be digits at once, and the value
/// assembled with three multiplications (the SWAR method of simdjson and fast_float); anything that is not plain
/// digits and one separator there goes to the digit-by-digit path, which gives the same result.
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

    /// <summary>Parses <paramref name="field"/> with <paramref name="decimalSeparator"/> ('.' or ','); false when it is not a number of that form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryParse(ReadOnlySpan<byte> field, char decimalSeparator, out float value)
    {
        if (field.Length > 0 && (IsBlank(field[0]) || IsBlank(field[^1])))
        {
            field = field.Trim(" \t"u8);
        }

        // The fast paths take digits, one separator and an exponent only: no thousands separator can get through them.
        return TryParseEight(field, (byte)decimalSeparator, out value)
            || TryParseFast(field, (byte)decimalSeparator, out value)
            || TryParseSlow(field, (byte)decimalSeparator, out value);
    }

    /// <summary>The same result without the eight-at-a-time path (the reference its tests compare against).</summary>
    internal static bool TryParseDigitByDigit(ReadOnlySpan<byte> field, char decimalSeparator, out float value)
    {
        if (field.Length > 0 && (IsBlank(field[0]) || IsBlank(field[^1])))
        {
            field = field.Trim(" \t"u8);
        }

        return TryParseFast(field, (byte)decimalSeparator, out value) || TryParseSlow(field, (byte)decimalSeparator, out value);
    }

    /// <summary>
    /// An optional sign, then 4 to 8 bytes of digits with at most one separator, read as one 8-byte word; false (and the
    /// digit-by-digit path decides) for anything else.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseEight(ReadOnlySpan<byte> s, byte separator, out float value)
    {
        value = 0;
        bool negative = false;
        if (s.Length > 0 && s[0] is (byte)'-' or (byte)'+')
        {
            negative = s[0] == (byte)'-';
            s = s[1..];
        }

        int length = s.Length;
        if (length is < 4 or > 8)
        {
            return false;
        }

        // Two overlapping 4-byte loads cover 4 to 8 bytes without reading past the field: byte i is character i.
        ulong word = BinaryPrimitives.ReadUInt32LittleEndian(s) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(s[(length - 4)..]) << (8 * (length - 4)));
        const ulong Ones = 0x0101010101010101UL, Highs = 0x8080808080808080UL, Zeros = 0x3030303030303030UL;
        ulong used = length == 8 ? ulong.MaxValue : (1UL << (8 * length)) - 1;
        ulong match = (word ^ (Ones * separator)) | ~used; // a zero byte where the separator is
        ulong found = (match - Ones) & ~match & Highs;
        int digits = length;
        int fraction = 0;
        if (found != 0)
        {
            int at = BitOperations.TrailingZeroCount(found) >> 3; // the first separator (borrows only run above it)
            ulong below = (1UL << (8 * at)) - 1;
            word = (word & below) | ((word >> 8) & ~below);
            digits--;
            fraction = digits - at;
        }

        // Digits right-aligned (most significant first), '0' before them: then every byte must be '0'..'9'.
        word = (word << (8 * (8 - digits))) | (digits == 8 ? 0 : Zeros >> (8 * digits)); // (a shift by 64 would be one by 0)
        if (((word & 0xF0F0F0F0F0F0F0F0UL) | (((word + 0x0606060606060606UL) & 0xF0F0F0F0F0F0F0F0UL) >> 4)) != 0x3333333333333333UL)
        {
            return false;
        }

        word -= Zeros;
        word = (word * 10) + (word >> 8);
        word = (((word & 0x000000FF000000FFUL) * (100 + (1000000UL << 32))) + (((word >> 16) & 0x000000FF000000FFUL) * (1 + (10000UL << 32)))) >> 32;

        // At most 8 digits (below 2^27) and a power of ten up to 7: exact in float unless above 2^24, then exact in double.
        float rounded;
        if (word <= (1UL << 24))
        {
            float whole = (long)word;
            rounded = whole / FloatPowersOfTen[fraction];
        }
        else
        {
            double exact = (long)word / PowersOfTen[fraction];
            rounded = (float)exact;
            if (IsHalfway(exact, rounded))
            {
                return false;
            }
        }

        value = negative ? -rounded : rounded;
        return true;
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';

    [MethodImpl(MethodImplOptions.AggressiveInlining)] // the reader's per-field hot path
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
