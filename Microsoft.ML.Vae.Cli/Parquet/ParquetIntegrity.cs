using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using global::Parquet.Meta;
using Microsoft.ML.Vae.Cli.Files;

namespace Microsoft.ML.Vae.Cli.Parquet;

/// <summary>
/// Checks the sizes a Parquet file declares before Parquet.Net trusts them. Parquet.Net and its decoders allocate what
/// the file claims (list lengths in the footer, page sizes, the length that starts Snappy data, the content sizes of
/// Zstd frames), so one damaged number could ask for gigabytes: the fuzz tests found a two-bit flip that made a 2 KB
/// file allocate 1 GB, and a footer list length that made one allocate 1.9 GB. The footer must fit in the file with
/// every list and string inside it; every page must lie inside its column chunk and unpack to no more than its rows
/// can hold, and (Snappy, Zstd, gzip and Brotli) unpack to what its header says.
/// </summary>
/// <remarks>
/// Footers and page headers are Thrift compact structs: the few sizes needed are read and everything else is skipped
/// by its wire type, within a byte budget and a nesting limit, so a damaged file cannot make these checks loop or
/// allocate either.
/// </remarks>
internal static class ParquetIntegrity
{
    /// <summary>The most bytes one page header may take (statistics can hold long min and max values).</summary>
    private const int MaxHeaderBytes = 1 << 20;

    private const int MaxDepth = 32;

    /// <summary>Null when the file ends in a footer whose lists and strings all fit inside it, else what is wrong.</summary>
    public static string? CheckFooter(Stream file)
    {
        long length = file.Length;
        if (length < 12)
        {
            return "it is too short to be a Parquet file";
        }

        Span<byte> tail = stackalloc byte[8];
        file.Position = length - 8;
        file.ReadExactly(tail);
        long footer = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (!tail[4..].SequenceEqual("PAR1"u8))
        {
            return "it does not end in PAR1, the mark of a Parquet file";
        }

        if (footer <= 0 || footer > length - 12)
        {
            return $"its footer claims {footer} bytes of a {length}-byte file";
        }

        file.Position = length - 8 - footer;
        var reader = new HeaderReader(file, (int)footer);
        return reader.TrySkipStruct() && reader.BytesRead <= footer ? null : "its footer cannot be decoded";
    }

    /// <summary>
    /// Null when every page of the chunk fits, else what is wrong. <paramref name="maxPageBytes"/> bounds one page's
    /// unpacked size.
    /// </summary>
    public static string? CheckPages(Stream file, ColumnMetaData chunk, long maxPageBytes)
    {
        long start = chunk.DictionaryPageOffset is long dictionary && dictionary > 0 && dictionary < chunk.DataPageOffset ? dictionary : chunk.DataPageOffset;
        long end = start + chunk.TotalCompressedSize;
        if (start < 4 || chunk.TotalCompressedSize <= 0 || end > file.Length)
        {
            return "its column chunk lies outside the file";
        }

        for (long at = start; at < end;)
        {
            file.Position = at;
            var reader = new HeaderReader(file, MaxHeaderBytes);
            if (!reader.TryReadPage(out Page page))
            {
                return $"the page header at byte {at} cannot be read";
            }

            (long unpacked, long packed) = (page.Unpacked, page.Packed);
            at += reader.BytesRead;
            if (packed < 0 || packed > end - at)
            {
                return $"the page at byte {at} claims {packed} bytes, more than its column chunk has left";
            }

            if (unpacked < 0 || unpacked > maxPageBytes)
            {
                return $"the page at byte {at} claims to unpack to {unpacked} bytes, more than its rows can hold";
            }

            if (page.LevelBytes > unpacked)
            {
                return $"the page at byte {at} claims more bytes of levels than it unpacks to";
            }

            // Snappy data starts with its own length, Zstd frames declare theirs and a gzip member ends with it (modulo
            // 2^32; a page whose trailer differs is decoded to count, as it may hold several members); Brotli data does
            // not say, so it is decoded to count. Parquet.Net allocates the first two, and reads a page that unpacks to
            // less than its header says from whatever its buffer held, so each must be the page's (a version 2 data
            // page's levels come first, uncompressed). LZ4 data is not checked.
            long data = at + page.LevelBytes, expected = unpacked - page.LevelBytes;
            if (page.Compressed && page.Type is 0 or 2 or 3 && data < at + packed && UnpackedSize(file, chunk.Codec, data, at + packed, expected) is long size
                && size != expected)
            {
                return size == long.MaxValue
                    ? $"the compressed page at byte {at} unpacks to more than the {expected} bytes its header says"
                    : $"the compressed page at byte {at} unpacks to {size} bytes, not the {expected} its header says";
            }

            at += packed;
        }

        return null;
    }

    /// <summary>
    /// The size that the compressed page data from <paramref name="data"/> to <paramref name="end"/> says it unpacks to
    /// (<see cref="long.MaxValue"/> for anything over <paramref name="expected"/>), or null when its codec does not say.
    /// </summary>
    private static long? UnpackedSize(Stream file, CompressionCodec codec, long data, long end, long expected)
    {
        switch (codec)
        {
            case CompressionCodec.SNAPPY:
                file.Position = data;
                var length = new HeaderReader(file, MaxHeaderBytes);
                return length.TryReadVarint(out long snappyLength) && snappyLength <= expected ? snappyLength : long.MaxValue;
            case CompressionCodec.ZSTD:
                long declared = ZstdFrames.DeclaredSize(file, data, end, expected);
                return declared == ZstdFrames.Unknown ? null : declared;
            case CompressionCodec.GZIP when end - data >= 18: // a gzip member's header and trailer
                Span<byte> size = stackalloc byte[4];
                file.Position = end - 4;
                file.ReadExactly(size);
                return BinaryPrimitives.ReadUInt32LittleEndian(size) == (uint)expected
                    ? expected
                    : DecodedSize(slice => new GZipStream(slice, CompressionMode.Decompress), file, data, end, expected);
            case CompressionCodec.BROTLI:
                return DecodedSize(slice => new BrotliStream(slice, CompressionMode.Decompress), file, data, end, expected);
            default:
                return null;
        }
    }

    /// <summary>
    /// What compressed data unpacks to, decoded by <paramref name="decoder"/>: for Brotli, which does not say, and for
    /// gzip whose last trailer differs (it counts only the last member, and a page may hold several). Decoding stops
    /// past <paramref name="expected"/> (<see cref="long.MaxValue"/>); null when the data is not of the codec, which
    /// Parquet.Net's decoder refuses.
    /// </summary>
    private static long? DecodedSize(Func<Stream, Stream> decoder, Stream file, long data, long end, long expected)
    {
        file.Position = data;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using Stream decoded = decoder(new StreamSlice(file, end - data));
            long total = 0;
            for (int read; (read = decoded.Read(buffer)) > 0;)
            {
                total += read;
                if (total > expected)
                {
                    return long.MaxValue;
                }
            }

            return total;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>What a page header says: its type (0 data, 2 dictionary, 3 data version 2), sizes and level bytes before the data.</summary>
    private record struct Page(int Type, long Unpacked, long Packed, long LevelBytes, bool Compressed);

    /// <summary>A Thrift compact reader that only counts what it skips, within <paramref name="budget"/> bytes.</summary>
    private ref struct HeaderReader(Stream stream, int budget)
    {
        public int BytesRead { get; private set; }

        /// <summary>Skips one whole struct; false when it does not decode within the budget.</summary>
        public bool TrySkipStruct()
        {
            try
            {
                Skip(12, inStruct: true, depth: 0);
                return true;
            }
            catch (InvalidDataException)
            {
                return false;
            }
        }

        public bool TryReadVarint(out long value)
        {
            try
            {
                value = Varint();
                return true;
            }
            catch (InvalidDataException)
            {
                value = -1;
                return false;
            }
        }

        /// <summary>Reads a PageHeader: type (field 1), sizes (2, 3) and, of a version 2 data page header (8), the level lengths (5, 6) and is_compressed (7).</summary>
        public bool TryReadPage(out Page page)
        {
            page = new Page(-1, -1, -1, 0, Compressed: true);
            try
            {
                short field = 0;
                for (int header = Byte(); header != 0; header = Byte())
                {
                    int type = header & 0x0F;
                    field = (header >> 4) == 0 ? (short)ZigZag(Varint()) : (short)(field + (header >> 4));
                    switch (field, type)
                    {
                        case (1, 5):
                            page.Type = (int)ZigZag(Varint());
                            break;
                        case (2, 5):
                            page.Unpacked = ZigZag(Varint());
                            break;
                        case (3, 5):
                            page.Packed = ZigZag(Varint());
                            break;
                        case (8, 12):
                            ReadVersion2(ref page);
                            break;
                        default:
                            Skip(type, inStruct: true, depth: 0);
                            break;
                    }
                }

                return page.Unpacked >= 0 && page.Packed >= 0 && page.LevelBytes >= 0;
            }
            catch (InvalidDataException)
            {
                return false;
            }
        }

        private void ReadVersion2(ref Page page)
        {
            short field = 0;
            for (int header = Byte(); header != 0; header = Byte())
            {
                int type = header & 0x0F;
                field = (header >> 4) == 0 ? (short)ZigZag(Varint()) : (short)(field + (header >> 4));
                if (field is 5 or 6 && type == 5)
                {
                    page.LevelBytes += ZigZag(Varint());
                }
                else if (field == 7 && type is 1 or 2)
                {
                    page.Compressed = type == 1;
                }
                else
                {
                    Skip(type, inStruct: true, depth: 1);
                }
            }
        }

        private void Skip(int type, bool inStruct, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new InvalidDataException();
            }

            switch (type)
            {
                case 1 or 2:
                    if (!inStruct)
                    {
                        Byte(); // a boolean in a list is a byte; in a struct its value is the type itself
                    }

                    break;
                case 3:
                    Byte();
                    break;
                case 4 or 5 or 6:
                    Varint();
                    break;
                case 7:
                    Bytes(8);
                    break;
                case 8:
                    Bytes(Varint());
                    break;
                case 9 or 10:
                    int list = Byte();
                    long count = list >> 4 == 15 ? Varint() : list >> 4;
                    Fits(count); // every element takes a byte at least
                    for (long i = 0; i < count; i++)
                    {
                        Skip(list & 0x0F, inStruct: false, depth + 1);
                    }

                    break;
                case 11:
                    long pairs = Varint();
                    Fits(pairs);
                    int kinds = pairs > 0 ? Byte() : 0;
                    for (long i = 0; i < pairs; i++)
                    {
                        Skip(kinds >> 4, inStruct: false, depth + 1);
                        Skip(kinds & 0x0F, inStruct: false, depth + 1);
                    }

                    break;
                case 12:
                    for (int header = Byte(); header != 0; header = Byte())
                    {
                        if ((header >> 4) == 0)
                        {
                            Varint(); // a field id written in full: skipped like the rest
                        }

                        Skip(header & 0x0F, inStruct: true, depth + 1);
                    }

                    break;
                default:
                    throw new InvalidDataException();
            }
        }

        private readonly void Fits(long count)
        {
            if (count < 0 || count > budget - BytesRead)
            {
                throw new InvalidDataException();
            }
        }

        private int Byte()
        {
            if (++BytesRead > budget)
            {
                throw new InvalidDataException();
            }

            int b = stream.ReadByte();
            return b >= 0 ? b : throw new InvalidDataException();
        }

        private void Bytes(long count)
        {
            if (count < 0 || BytesRead + count > budget)
            {
                throw new InvalidDataException();
            }

            stream.Seek(count, SeekOrigin.Current);
            BytesRead += (int)count;
        }

        private long Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                int b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return (long)value;
                }
            }

            throw new InvalidDataException();
        }

        private static long ZigZag(long n) => (long)((ulong)n >> 1) ^ -(n & 1);
    }
}
