using System.Text;
using Microsoft.ML.Vae.Serialization;

namespace Microsoft.ML.Vae.Reports;

/// <summary>Saves report output whole or not at all (the library's atomic writer), creating the folder if needed.</summary>
internal static class ReportFile
{
    public static void WriteAllBytes(string path, byte[] content)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        AtomicFile.Write(path, stream => stream.Write(content));
    }

    public static void WriteAllText(string path, string content) =>
        WriteAllBytes(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content));
}
