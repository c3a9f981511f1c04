using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Microsoft.ML.Vae.Cli.Files;

/// <summary>
/// Which file a path or an open handle refers to (device and inode, so links and other names of the same file compare
/// equal) and its kind. On Linux it comes from <c>statx</c>, whose result layout is the same on every architecture;
/// elsewhere from the full path with links resolved, and only regular files and directories are told apart.
/// </summary>
internal readonly record struct FileIdentity(string Key, FileKind Kind)
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;

    private static bool s_statxMissing;

    /// <summary>The file <paramref name="path"/> names, following symbolic links; null when there is none.</summary>
    public static FileIdentity? Of(string path)
    {
        if (!s_statxMissing && OperatingSystem.IsLinux())
        {
            try
            {
                return Statx(AtFdCwd, path, 0);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                s_statxMissing = true;
            }
        }

        return Managed(path);
    }

    /// <summary>The file behind an open descriptor (0 = standard input, 1 = standard output); null when it cannot be told.</summary>
    public static FileIdentity? OfDescriptor(int descriptor)
    {
        if (s_statxMissing || !OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Statx(descriptor, "", AtEmptyPath);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_statxMissing = true;
            return null;
        }
    }

    /// <summary>The file behind an open file handle.</summary>
    public static FileIdentity? Of(SafeFileHandle handle) =>
        OperatingSystem.IsWindows() ? null : OfDescriptor((int)handle.DangerousGetHandle());

    private static FileIdentity? Statx(int directory, string path, int flags)
    {
        var buffer = new byte[StatxSize];
        if (Native.Statx(directory, path, flags, StatxBasicStats, buffer) != 0)
        {
            // ENOENT: nothing there. EACCES, ENOSYS (a kernel before 4.11)...: no identity either; opening the file
            // then reports the real problem.
            return null;
        }

        // struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_dev_major and stx_dev_minor (u32) at 136 and 140.
        int mode = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(28));
        ulong inode = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(32));
        uint major = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(136));
        uint minor = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(140));
        FileKind kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileIdentity($"{major}:{minor}:{inode}", kind);
    }

    private static FileIdentity? Managed(string path)
    {
        string full = Path.GetFullPath(path);
        try
        {
            full = File.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
        }
        catch (IOException)
        {
            // A link loop: the path as given is all there is to compare.
        }

        FileKind? kind = Directory.Exists(full) ? FileKind.Directory : File.Exists(full) ? FileKind.Regular : null;
        return kind is { } k ? new FileIdentity(OperatingSystem.IsWindows() ? full.ToUpperInvariant() : full, k) : null;
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "statx")]
        public static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
    }
}
