// An MSBuild inline task (compiled by RoslynCodeTaskFactory, see Microsoft.ML.Vae.TorchSharp.targets); not part of
// the library. Marks weak the symbol-version requirements of an ELF shared library that cover marker symbols only.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class VaeMlWeakenMarkerVersions : Task
{
    // Symbols that carry a version requirement but are never bound at run time: GCC 13's <iostream> references
    // _ZSt21ios_base_library_initv only to pull libstdc++'s stream initialization into the link.
    private static readonly HashSet<string> MarkerSymbols = new HashSet<string> { "_ZSt21ios_base_library_initv" };

    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlgWeak = 0x2;

    [Required]
    public ITaskItem[] Files { get; set; } = new ITaskItem[0];

    public override bool Execute()
    {
        foreach (ITaskItem item in Files)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path))
            {
                continue;
            }

            byte[] elf = File.ReadAllBytes(path);
            List<string> weakened;
            try
            {
                weakened = Weaken(elf);
            }
            catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidDataException)
            {
                Log.LogWarning($"{path}: not a 64-bit little-endian ELF file this step can read ({e.Message}); left as it is.");
                continue;
            }

            if (weakened.Count == 0)
            {
                continue;
            }

            // A new file (a copy, to keep the mode), not a write through: the output copy may be a hard link into the
            // package cache.
            DateTime written = File.GetLastWriteTimeUtc(path);
            string temporary = path + ".weak";
            File.Copy(path, temporary, overwrite: true);
            using (var stream = new FileStream(temporary, FileMode.Open, FileAccess.Write))
            {
                stream.Write(elf, 0, elf.Length);
            }

            File.Delete(path);
            File.Move(temporary, path);

            // The source's time stamp again, so that the next incremental build's copy sees the file as up to date.
            File.SetLastWriteTimeUtc(path, written);
            Log.LogMessage(MessageImportance.Normal, $"{path}: marked weak the version requirement(s) {string.Join(", ", weakened)} (marker symbols only).");
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Sets VER_FLG_WEAK on every .gnu.version_r entry whose symbols are all markers; returns their names.</summary>
    private static List<string> Weaken(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F' || elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("no ELF64 LSB header");
        }

        long sectionTable = (long)U64(elf, 0x28);
        int sectionSize = U16(elf, 0x3A);
        int sectionCount = U16(elf, 0x3C);
        Section? dynsym = null, versym = null, verneed = null;
        var sections = new Section[sectionCount];
        for (int i = 0; i < sectionCount; i++)
        {
            long at = sectionTable + ((long)i * sectionSize);
            var section = new Section { Type = U32(elf, at + 4), Offset = (long)U64(elf, at + 24), Size = (long)U64(elf, at + 32), Link = U32(elf, at + 40), Info = U32(elf, at + 44) };
            sections[i] = section;
            switch (section.Type)
            {
                case ShtDynsym: dynsym = section; break;
                case ShtGnuVersym: versym = section; break;
                case ShtGnuVerneed: verneed = section; break;
            }
        }

        return dynsym is { } symbols && versym is { } versions && verneed is { } needs
            ? Weaken(elf, sections, symbols, versions, needs)
            : new List<string>();
    }

    private static List<string> Weaken(byte[] elf, Section[] sections, Section dynsym, Section versym, Section verneed)
    {
        var weakened = new List<string>();

        // Version index -> names of the dynamic symbols that carry it.
        long dynstr = sections[dynsym.Link].Offset;
        var symbols = new Dictionary<int, List<string>>();
        long symbolCount = dynsym.Size / 24;
        for (long s = 0; s < symbolCount; s++)
        {
            int version = U16(elf, versym.Offset + (2 * s)) & 0x7fff;
            string name = Text(elf, dynstr + U32(elf, dynsym.Offset + (24 * s)));
            if (!symbols.TryGetValue(version, out List<string> names))
            {
                symbols[version] = names = new List<string>();
            }

            names.Add(name);
        }

        long strings = sections[verneed.Link].Offset;
        long need = verneed.Offset;
        for (uint n = 0; n < verneed.Info; n++)
        {
            long aux = need + U32(elf, need + 8);
            for (int a = 0; a < U16(elf, need + 2); a++)
            {
                ushort flags = U16(elf, aux + 4);
                int index = U16(elf, aux + 6);
                if ((flags & VerFlgWeak) == 0 && symbols.TryGetValue(index, out List<string> names) && names.All(MarkerSymbols.Contains))
                {
                    elf[aux + 4] = (byte)(flags | VerFlgWeak); // little-endian: the flag is in the low byte
                    weakened.Add(Text(elf, strings + U32(elf, aux + 8)));
                }

                aux += U32(elf, aux + 12);
            }

            need += U32(elf, need + 12);
        }

        return weakened;
    }

    private static ushort U16(byte[] b, long at) => BitConverter.ToUInt16(b, checked((int)at));

    private static uint U32(byte[] b, long at) => BitConverter.ToUInt32(b, checked((int)at));

    private static ulong U64(byte[] b, long at) => BitConverter.ToUInt64(b, checked((int)at));

    private static string Text(byte[] b, long at)
    {
        int start = checked((int)at);
        int end = Array.IndexOf(b, (byte)0, start);
        return Encoding.ASCII.GetString(b, start, end - start);
    }

    /// <summary>An ELF64 section header's fields that this step reads.</summary>
    private struct Section
    {
        public uint Type;
        public long Offset;
        public long Size;
        public uint Link;
        public uint Info;
    }
}
