using System.Buffers.Binary;
using Microsoft.ML.Vae.Cli.Parquet;

namespace Microsoft.ML.Vae.Tests.Cli;

/// <summary>
/// <see cref="ZstdFrames"/> adds up the content sizes that Zstd frame headers declare, whatever the header's layout,
/// across frames and past skippable frames, stops once the sum passes the limit, and calls data without a declared size
/// unknown (the decoder refuses it).
/// </summary>
[TestClass]
public sealed class ZstdFramesTests
{
    private const int Limit = 4000;

    [TestMethod]
    public void ASumPastTheLimitStopsTheWalk()
    {
        Assert.AreEqual(Limit, Declared(Frame(Limit)));
        Assert.AreEqual(17, Declared(Frame(17)));
        Assert.AreEqual(long.MaxValue, Declared(Frame(Limit + 1)));
        Assert.AreEqual(long.MaxValue, Declared(Frame(2_000_000_000)));
    }

    [TestMethod]
    public void EveryHeaderLayoutIsRead()
    {
        // Content size in 1 (single segment), 2 (plus 256), 4 and 8 bytes; with a window byte and dictionary ids of 1, 2 and 4 bytes.
        foreach (int sizeFlag in new[] { 0, 1, 2, 3 })
        {
            foreach (bool singleSegment in new[] { true, false })
            {
                foreach (int dictionaryFlag in new[] { 0, 1, 2, 3 })
                {
                    if (sizeFlag == 0 && !singleSegment)
                    {
                        continue; // no content size: see FramesWithoutADeclaredSizeAreLeftToTheDecoder
                    }

                    long small = sizeFlag switch { 0 => 200, 1 => 3000, _ => Limit };
                    long large = sizeFlag switch { 0 => 255, 1 => 65_791, 2 => uint.MaxValue, _ => long.MaxValue };
                    string layout = $"size flag {sizeFlag}, single segment {singleSegment}, dictionary flag {dictionaryFlag}";
                    Assert.AreEqual(small, Declared(Frame(small, sizeFlag, singleSegment, dictionaryFlag), limit: Math.Max(small, 255)), layout);
                    Assert.AreEqual(long.MaxValue, Declared(Frame(large, sizeFlag, singleSegment, dictionaryFlag), limit: large - 1), layout);
                }
            }
        }
    }

    [TestMethod]
    public void FramesAreAddedUpPastBlocksChecksumsAndSkippableFrames()
    {
        byte[] half = Frame(Limit / 2, blocks: [(0, 100), (1, 70_000), (2, 40)], checksum: true);
        Assert.AreEqual(Limit, Declared([.. half, .. half]));
        Assert.AreEqual(long.MaxValue, Declared([.. half, .. half, .. Frame(1)]));
        Assert.AreEqual(long.MaxValue, Declared([.. Skippable(5000), .. Frame(Limit + 1)]), "a skippable frame is stepped over");
        Assert.AreEqual(Limit - 1, Declared([.. Skippable(5000), .. Frame(Limit - 1)]));
    }

    [TestMethod]
    public void FramesWithoutADeclaredSizeAreLeftToTheDecoder()
    {
        Assert.AreEqual(ZstdFrames.Unknown, Declared(Frame(0, sizeFlag: 0, singleSegment: false)), "no content size");
        Assert.AreEqual(ZstdFrames.Unknown, Declared([0x01, 0x02, 0x03, 0x04, 0x05]), "not a frame");
        Assert.AreEqual(ZstdFrames.Unknown, Declared([.. Frame(10), 0x01, 0x02, 0x03, 0x04]), "a frame, then something else");
        Assert.AreEqual(0, Declared([0x28, 0xB5, 0x2F]), "too short for a frame: nothing declared");
        Assert.AreEqual(ZstdFrames.Unknown, Declared(Frame(Limit + 1)[..6]), "a header cut short");
    }

    private static long Declared(byte[] data, long limit = Limit)
    {
        var prefix = new byte[7]; // data inside a page starts after its header
        using var stream = new MemoryStream([.. prefix, .. data, .. new byte[5]]);
        return ZstdFrames.DeclaredSize(stream, prefix.Length, prefix.Length + data.Length, limit);
    }

    /// <summary>A frame declaring <paramref name="content"/> bytes, with the given header layout and blocks (type, size) of zeros.</summary>
    private static byte[] Frame(long content, int sizeFlag = 3, bool singleSegment = true, int dictionaryFlag = 0,
        (int Type, int Size)[]? blocks = null, bool checksum = false)
    {
        var frame = new List<byte> { 0x28, 0xB5, 0x2F, 0xFD, (byte)((sizeFlag << 6) | (singleSegment ? 0x20 : 0) | (checksum ? 4 : 0) | dictionaryFlag) };
        if (!singleSegment)
        {
            frame.Add(0x50); // window descriptor
        }

        frame.AddRange(new byte[dictionaryFlag switch { 0 => 0, 1 => 1, 2 => 2, _ => 4 }]);
        var size = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(size, sizeFlag == 1 ? content - 256 : content);
        frame.AddRange(size[..(sizeFlag switch { 0 => singleSegment ? 1 : 0, 1 => 2, 2 => 4, _ => 8 })]);
        blocks ??= [(0, 10)];
        for (int i = 0; i < blocks.Length; i++)
        {
            (int type, int blockSize) = blocks[i];
            int header = (blockSize << 3) | (type << 1) | (i == blocks.Length - 1 ? 1 : 0);
            frame.AddRange([(byte)header, (byte)(header >> 8), (byte)(header >> 16)]);
            frame.AddRange(new byte[type == 1 ? 1 : blockSize]);
        }

        if (checksum)
        {
            frame.AddRange(new byte[4]);
        }

        return [.. frame];
    }

    private static byte[] Skippable(int length)
    {
        var frame = new byte[8 + length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, 0x184D2A53);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), length);
        return frame;
    }
}
