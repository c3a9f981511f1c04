using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Vae.Cli.Csv;

/// <summary>
/// The records of CSV text that holds no quote character and no bare CR (the blocks <see cref="CsvFeatureReader"/>
/// cuts), split as CsvHelper splits such text in RFC 4180 mode without trimming or comments: a record ends at LF or
/// CR LF, completely empty lines are skipped, and fields end at the separator. Without quotes nothing is unescaped, so
/// splitting is finding two bytes; a field of up to 7 bytes (most numbers) is found in one 8-byte word, longer ones
/// with a vector search. CsvHelper is the reference its tests compare with.
/// </summary>
internal ref struct PlainRecords
{
    private const ulong Ones = 0x0101010101010101UL;
    private const ulong Highs = 0x8080808080808080UL;

    private readonly ReadOnlySpan<byte> _text;
    private readonly byte _separator;
    private readonly ulong _separators;
    private int _position;
    private long _nextLine;

    /// <param name="text">Whole lines: no quote character, every CR followed by LF.</param>
    /// <param name="separator">The field separator.</param>
    /// <param name="firstLine">The input's line number of the first line.</param>
    public PlainRecords(ReadOnlySpan<byte> text, byte separator, long firstLine)
    {
        _text = text;
        _separator = separator;
        _separators = Ones * separator;
        _nextLine = firstLine;
    }

    /// <summary>The input's line number of the current record.</summary>
    public long Line { get; private set; }

    /// <summary>
    /// Moves to the next record that is not an empty line and splits it: the end (exclusive, in the text) of field i
    /// goes to <paramref name="fieldEnds"/>[i] while there is room, and the start of the record to
    /// <paramref name="start"/>. Returns the record's number of fields (more than the room when it has too many), or 0
    /// at the end of the text.
    /// </summary>
    public int MoveNext(Span<int> fieldEnds, out int start)
    {
        ReadOnlySpan<byte> text = _text;
        while (_position < text.Length)
        {
            start = _position;
            Line = _nextLine++;
            if (text[start] == (byte)'\n' || (text[start] == (byte)'\r' && start + 1 < text.Length && text[start + 1] == (byte)'\n'))
            {
                _position = start + (text[start] == (byte)'\n' ? 1 : 2); // an empty line
                continue;
            }

            int fields = 0, at = start;
            while (true)
            {
                int end = FieldEnd(text, at);
                bool last = end == text.Length || text[end] == (byte)'\n';
                int fieldEnd = last && end > at && text[end - 1] == (byte)'\r' ? end - 1 : end;
                if (fields < fieldEnds.Length)
                {
                    fieldEnds[fields] = fieldEnd;
                }

                fields++;
                at = end + 1;
                if (last)
                {
                    _position = Math.Min(at, text.Length);
                    return fields;
                }
            }
        }

        start = _position;
        return 0;
    }

    /// <summary>Where the field starting at <paramref name="at"/> ends: its separator, the LF, or the end of the text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int FieldEnd(ReadOnlySpan<byte> text, int at)
    {
        if (at + sizeof(ulong) <= text.Length)
        {
            ulong word = BinaryPrimitives.ReadUInt64LittleEndian(text[at..]);
            ulong separator = word ^ _separators, lineFeed = word ^ (Ones * '\n');
            ulong found = (((separator - Ones) & ~separator) | ((lineFeed - Ones) & ~lineFeed)) & Highs; // the lowest set bit is exact
            if (found != 0)
            {
                return at + (BitOperations.TrailingZeroCount(found) >> 3);
            }

            at += sizeof(ulong);
        }

        int next = text[at..].IndexOfAny(_separator, (byte)'\n');
        return next < 0 ? text.Length : at + next;
    }
}
