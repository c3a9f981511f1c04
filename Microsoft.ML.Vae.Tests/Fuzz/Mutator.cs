using System.Text;

namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>Seeded mutations of a valid input: the same seed gives the same inputs on every run.</summary>
internal sealed class Mutator(int seed)
{
    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>One random mutation of <paramref name="original"/>, and its description.</summary>
    public (byte[] Bytes, string What) Mutate(byte[] original)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (_random.Next(6))
        {
            case 0:
                int length = _random.Next(bytes.Length);
                return (bytes[..length], $"truncated to {length} bytes");
            case 1:
                int flips = 1 + _random.Next(8);
                for (int i = 0; i < flips; i++)
                {
                    bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return (bytes, $"{flips} bit flip(s)");
            case 2:
                int start = _random.Next(bytes.Length), run = Math.Min(1 + _random.Next(16), bytes.Length - start);
                _random.NextBytes(bytes.AsSpan(start, run));
                return (bytes, $"{run} random bytes at {start}");
            case 3:
                int at = _random.Next(bytes.Length);
                byte[] inserted = new byte[1 + _random.Next(32)];
                _random.NextBytes(inserted);
                return ([.. bytes[..at], .. inserted, .. bytes[at..]], $"{inserted.Length} bytes inserted at {at}");
            case 4:
                int from = _random.Next(bytes.Length), count = Math.Min(1 + _random.Next(64), bytes.Length - from);
                return ([.. bytes[..from], .. bytes[(from + count)..]], $"{count} bytes deleted at {from}");
            default:
                int offset = _random.Next(Math.Max(1, bytes.Length - 3));
                uint huge = _random.Next(4) switch { 0 => int.MaxValue, 1 => uint.MaxValue, 2 => 0x7FFF_FFF0, _ => (uint)_random.Next() };
                BitConverter.TryWriteBytes(bytes.AsSpan(offset, Math.Min(4, bytes.Length - offset)), huge);
                return (bytes, $"0x{huge:X8} written at {offset}");
        }
    }

    /// <summary><paramref name="length"/> random bytes.</summary>
    public byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Inputs of other formats that a confused user or a wrong path may hand over.</summary>
    public static IEnumerable<(byte[] Bytes, string What)> OtherFormats()
    {
        yield return ([], "an empty file");
        yield return ("hello, world\n"u8.ToArray(), "a line of text");
        yield return ([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R'], "a PNG header");
        yield return ([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3], "a gzip header without data");
        yield return ([(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0], "a zip header");
        yield return ([0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0], "an ELF header");
        yield return (new byte[4096], "4096 zero bytes");
        yield return (Enumerable.Repeat((byte)0xFF, 4096).ToArray(), "4096 0xFF bytes");
        yield return (Encoding.UTF8.GetBytes("{\"FeatureCount\": 3}"), "JSON");
        yield return ([0xEF, 0xBB, 0xBF, .. "a,b\n1,2\n"u8], "a CSV with a UTF-8 byte order mark");
    }
}
