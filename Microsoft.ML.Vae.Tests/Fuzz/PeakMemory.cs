namespace Microsoft.ML.Vae.Tests.Fuzz;

/// <summary>
/// The process's resident memory and its peak since the last <see cref="Reset"/> (Linux: VmRSS and VmHWM, reset through
/// /proc/self/clear_refs), so native allocations (ONNX Runtime's) count too. Zero where the figures are not available.
/// </summary>
internal static class PeakMemory
{
    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>Starts a new peak at the current resident size; returns that size.</summary>
    public static long Reset()
    {
        if (s_unavailable)
        {
            return 0;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            s_unavailable = true;
            return 0;
        }

        return Read("VmRSS:");
    }

    /// <summary>The peak resident size since <see cref="Reset"/>, in bytes.</summary>
    public static long Peak => s_unavailable ? 0 : Read("VmHWM:");

    private static long Read(string field)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
