using System.Buffers.Binary;

namespace Microsoft.ML.Vae.Cli.Parquet;

/// <summary>
/// The content size that Zstandard data declares in its frame headers (RFC 8878), read without decoding it. The Zstd
/// decoder under Parquet.Net allocates the sum of its frames' declared sizes before decoding, so a page whose frames
/// declare more than the page header says it unpacks to must not reach it: run-length blocks of four bytes each declare
/// 128 KB, so a 358 KB page can declare 2 GB (reading such a 1.2 MB file took the tool to 4 GB of memory before this
/// check). A page whose frames declare less is damaged too: Parquet.Net reads the rest of the page from whatever its
/// buffer held.
/// </summary>
/// <remarks>
/// Each frame's blocks are walked only to find where the next frame starts: three header bytes per block, the block's
/// bytes skipped. The walk stops as soon as the declared sizes pass the limit, so a hostile page costs little too.
/// </remarks>
internal static class ZstdFrames
{
    private const uint FrameMagic = 0xFD2FB528;
    private const uint SkippableMagicMask = 0xFFFFFFF0;
    private const uint SkippableMagic = 0x184D2A50;

    /// <summary>What <see cref="DeclaredSize"/> returns when the data does not declare its size.</summary>
    public const long Unknown = -1;

    /// <summary>
    /// The content size that the frames in <paramref name="file"/> from <paramref name="start"/> to
    /// <paramref name="end"/> declare in all; <see cref="Unknown"/> when a frame declares none or the bytes are not
    /// frames (the decoder refuses those), and <see cref="long.MaxValue"/> as soon as the sum passes
    /// <paramref name="limit"/>.
    /// </summary>
    public static long DeclaredSize(Stream file, long start, long end, long limit)
    {
        Span<byte> header = stackalloc byte[18]; // magic, descriptor, window, dictionary id and content size at their longest
        long declared = 0;
        for (long at = start; end - at >= 4;)
        {
            int length = Read(file, at, end, header);
            uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if ((magic & SkippableMagicMask) == SkippableMagic)
            {
                if (length < 8)
                {
                    return Unknown;
                }

                at += 8 + BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
                continue;
            }

            if (magic != FrameMagic || length < 5)
            {
                return Unknown;
            }

            int descriptor = header[4];
            bool singleSegment = (descriptor & 0x20) != 0;
            int sizeBytes = (descriptor >> 6) switch
            {
                0 => singleSegment ? 1 : 0,
                1 => 2,
                2 => 4,
                _ => 8,
            };
            int dictionaryBytes = (descriptor & 3) switch
            {
                0 => 0,
                1 => 1,
                2 => 2,
                _ => 4,
            };
            int sizeAt = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
            if (sizeBytes == 0 || length < sizeAt + sizeBytes)
            {
                return Unknown;
            }

            ReadOnlySpan<byte> size = header.Slice(sizeAt, sizeBytes);
            ulong content = sizeBytes switch
            {
                1 => size[0],
                2 => BinaryPrimitives.ReadUInt16LittleEndian(size) + 256UL,
                4 => BinaryPrimitives.ReadUInt32LittleEndian(size),
                _ => BinaryPrimitives.ReadUInt64LittleEndian(size),
            };
            if (content > (ulong)(limit - declared))
            {
                return long.MaxValue;
            }

            declared += (long)content;
            at = AfterBlocks(file, at + sizeAt + sizeBytes, end) + ((descriptor & 4) != 0 ? 4 : 0);
        }

        return declared;
    }

    /// <summary>Where the frame whose first block starts at <paramref name="at"/> ends (before its checksum), or <paramref name="end"/>.</summary>
    private static long AfterBlocks(Stream file, long at, long end)
    {
        Span<byte> header = stackalloc byte[3];
        while (end - at >= 3)
        {
            Read(file, at, end, header);
            int block = header[0] | (header[1] << 8) | (header[2] << 16);
            int type = (block >> 1) & 3;
            at += 3 + (type == 1 ? 1 : block >> 3);
            if ((block & 1) != 0 || type == 3)
            {
                return type == 3 ? end : at;
            }
        }

        return end;
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length at <paramref name="at"/>, not past <paramref name="end"/>; returns the bytes read.</summary>
    private static int Read(Stream file, long at, long end, Span<byte> buffer)
    {
        file.Position = at;
        int wanted = (int)Math.Min(buffer.Length, end - at);
        int read = file.ReadAtLeast(buffer[..wanted], wanted, throwOnEndOfStream: false);
        buffer[read..].Clear();
        return read;
    }
}
