using System.Runtime.InteropServices;

namespace Microsoft.ML.Vae.Onnx;

/// <summary>
/// Finds and loads the native ONNX Runtime library: the path in <c>VAEML_ONNXRUNTIME_PATH</c> if set, else a copy next
/// to the application, else the operating system's usual search.
/// </summary>
internal static class OrtLibrary
{
    public const string PathVariable = "VAEML_ONNXRUNTIME_PATH";

    public const string Version = "1.30.0";

    private static readonly string[] FileNames = OperatingSystem.IsWindows()
        ? ["onnxruntime.dll"]
        : OperatingSystem.IsMacOS()
            ? ["libonnxruntime.1.dylib", "libonnxruntime.dylib"]
            : ["libonnxruntime.so.1", "libonnxruntime.so"];

    private static string HowToGet =>
        $"VaeMl scores ONNX models with the official ONNX Runtime {Version} native library. Get it with " +
        $"'eng/fetch-onnxruntime.sh' from the VaeMl repository (needs node and npm; it unpacks the library from the npm " +
        $"package onnxruntime-node@{Version} into .cache/onnxruntime/{Version}/), then set {PathVariable} to the library's " +
        $"path or copy {FileNames[0]} next to your application.";

    public static IntPtr Load() => Load(Environment.GetEnvironmentVariable(PathVariable));

    /// <summary>Loads from <paramref name="configured"/> (the variable's value) when set, else searches.</summary>
    public static IntPtr Load(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!File.Exists(configured))
            {
                throw new OnnxRuntimeException($"{PathVariable} is set to '{configured}', but no file is there. {HowToGet}");
            }

            return LoadFile(configured);
        }

        foreach (string name in FileNames)
        {
            string beside = Path.Combine(AppContext.BaseDirectory, name);
            if (File.Exists(beside))
            {
                return LoadFile(beside);
            }
        }

        if (NativeLibrary.TryLoad("onnxruntime", typeof(OrtLibrary).Assembly, null, out IntPtr handle))
        {
            return handle;
        }

        throw new OnnxRuntimeException($"The ONNX Runtime native library was not found. {HowToGet}");
    }

    private static IntPtr LoadFile(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new OnnxRuntimeException($"'{path}' could not be loaded as the ONNX Runtime library: {e.Message} {HowToGet}", e);
        }
        catch (BadImageFormatException e)
        {
            throw new OnnxRuntimeException($"'{path}' is not an ONNX Runtime library for this platform: {e.Message} {HowToGet}", e);
        }
    }
}
