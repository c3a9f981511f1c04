using System.Runtime.InteropServices;

namespace Microsoft.ML.Vae.Onnx;

/// <summary>
/// The ONNX Runtime C API function table (<c>OrtApi</c> in onnxruntime_c_api.h), loaded once per process.
/// The native struct is an append-only array of function pointers; each slot below is the index of that function
/// in the header's declaration order, which every later API version keeps. Only the functions VaeMl calls are bound.
/// Every function returning <c>OrtStatus*</c> is checked with <see cref="Check"/>, which turns a non-null status into
/// an <see cref="OnnxRuntimeException"/> with the native message and releases the status.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>ORT_API_VERSION of onnxruntime 1.30's header; GetApi returns null for versions the library lacks.</summary>
    public const uint ApiVersion = 30;

    // ONNXTensorElementDataType, OrtAllocatorType, OrtMemType, OrtLoggingLevel values used here.
    public const int ElementFloat = 1;
    public const int ElementBool = 9;
    private const int ArenaAllocator = 1;
    private const int MemTypeDefault = 0;
    private const int LoggingLevelError = 3;

    private static readonly Lock Gate = new();
    private static OrtApi? shared;

    // Slot numbers: position in struct OrtApi.
    public readonly delegate* unmanaged<IntPtr, int> GetErrorCode;                                            // 1
    public readonly delegate* unmanaged<IntPtr, byte*> GetErrorMessage;                                       // 2
    public readonly delegate* unmanaged<int, byte*, IntPtr*, IntPtr> CreateEnv;                               // 3
    public readonly delegate* unmanaged<IntPtr, void*, IntPtr, IntPtr*, IntPtr> CreateSession;                // 7
    public readonly delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray; // 8
    public readonly delegate* unmanaged<IntPtr, IntPtr, byte**, IntPtr*, nuint, byte**, nuint, IntPtr*, IntPtr> Run; // 9
    public readonly delegate* unmanaged<IntPtr*, IntPtr> CreateSessionOptions;                                // 10
    public readonly delegate* unmanaged<IntPtr, int, IntPtr> SetIntraOpNumThreads;                            // 24
    public readonly delegate* unmanaged<IntPtr, int, IntPtr> SetInterOpNumThreads;                            // 25
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetInputCount;                         // 30
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetOutputCount;                        // 31
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;              // 33
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;             // 34
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;           // 36
    public readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;          // 37
    public readonly delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue; // 49
    public readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;                    // 55
    public readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetTensorElementType;                           // 60
    public readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> GetDimensionsCount;                           // 61
    public readonly delegate* unmanaged<IntPtr, long*, nuint, IntPtr> GetDimensions;                          // 62
    public readonly delegate* unmanaged<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;                       // 69
    public readonly delegate* unmanaged<IntPtr, void*, IntPtr> AllocatorFree;                                 // 76
    public readonly delegate* unmanaged<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;                      // 78
    public readonly delegate* unmanaged<IntPtr, void> ReleaseStatus;                                          // 93
    public readonly delegate* unmanaged<IntPtr, void> ReleaseMemoryInfo;                                      // 94
    public readonly delegate* unmanaged<IntPtr, void> ReleaseSession;                                         // 95
    public readonly delegate* unmanaged<IntPtr, void> ReleaseValue;                                           // 96
    public readonly delegate* unmanaged<IntPtr, void> ReleaseTypeInfo;                                        // 98
    public readonly delegate* unmanaged<IntPtr, void> ReleaseSessionOptions;                                  // 100
    public readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> SessionGetModelMetadata;                     // 111
    public readonly delegate* unmanaged<IntPtr, IntPtr, byte*, byte**, IntPtr> ModelMetadataLookupCustomMetadataMap; // 116
    public readonly delegate* unmanaged<IntPtr, void> ReleaseModelMetadata;                                   // 118
    public readonly delegate* unmanaged<IntPtr, IntPtr, byte***, long*, IntPtr> ModelMetadataGetCustomMetadataMapKeys; // 123

    private OrtApi(IntPtr library)
    {
        var getApiBase = (delegate* unmanaged<IntPtr*>)NativeLibrary.GetExport(library, "OrtGetApiBase");
        IntPtr* apiBase = getApiBase();

        // OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
        var getApi = (delegate* unmanaged<uint, IntPtr*>)apiBase[0];
        var getVersionString = (delegate* unmanaged<byte*>)apiBase[1];
        RuntimeVersion = Marshal.PtrToStringUTF8((IntPtr)getVersionString()) ?? "unknown";
        IntPtr* table = getApi(ApiVersion);
        if (table == null)
        {
            throw new OnnxRuntimeException(
                $"The loaded ONNX Runtime library (version {RuntimeVersion}) does not provide C API version {ApiVersion}; " +
                $"VaeMl needs ONNX Runtime {OrtLibrary.Version} or newer (see eng/fetch-onnxruntime.sh).");
        }

        GetErrorCode = (delegate* unmanaged<IntPtr, int>)table[1];
        GetErrorMessage = (delegate* unmanaged<IntPtr, byte*>)table[2];
        CreateEnv = (delegate* unmanaged<int, byte*, IntPtr*, IntPtr>)table[3];
        CreateSession = (delegate* unmanaged<IntPtr, void*, IntPtr, IntPtr*, IntPtr>)table[7];
        CreateSessionFromArray = (delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)table[8];
        Run = (delegate* unmanaged<IntPtr, IntPtr, byte**, IntPtr*, nuint, byte**, nuint, IntPtr*, IntPtr>)table[9];
        CreateSessionOptions = (delegate* unmanaged<IntPtr*, IntPtr>)table[10];
        SetIntraOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)table[24];
        SetInterOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)table[25];
        SessionGetInputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[30];
        SessionGetOutputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[31];
        SessionGetInputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)table[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)table[34];
        SessionGetInputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[36];
        SessionGetOutputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[37];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)table[49];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)table[55];
        GetTensorElementType = (delegate* unmanaged<IntPtr, int*, IntPtr>)table[60];
        GetDimensionsCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)table[61];
        GetDimensions = (delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)table[62];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, IntPtr*, IntPtr>)table[69];
        AllocatorFree = (delegate* unmanaged<IntPtr, void*, IntPtr>)table[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<IntPtr*, IntPtr>)table[78];
        ReleaseStatus = (delegate* unmanaged<IntPtr, void>)table[93];
        ReleaseMemoryInfo = (delegate* unmanaged<IntPtr, void>)table[94];
        ReleaseSession = (delegate* unmanaged<IntPtr, void>)table[95];
        ReleaseValue = (delegate* unmanaged<IntPtr, void>)table[96];
        ReleaseTypeInfo = (delegate* unmanaged<IntPtr, void>)table[98];
        ReleaseSessionOptions = (delegate* unmanaged<IntPtr, void>)table[100];
        SessionGetModelMetadata = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)table[111];
        ModelMetadataLookupCustomMetadataMap = (delegate* unmanaged<IntPtr, IntPtr, byte*, byte**, IntPtr>)table[116];
        ReleaseModelMetadata = (delegate* unmanaged<IntPtr, void>)table[118];
        ModelMetadataGetCustomMetadataMapKeys = (delegate* unmanaged<IntPtr, IntPtr, byte***, long*, IntPtr>)table[123];

        // One environment for the process, as ONNX Runtime expects; it lives as long as the process (releasing it at
        // shutdown races the runtime's own static destructors), so it is not a counted handle.
        IntPtr env;
        fixed (byte* logId = "VaeMl"u8)
        {
            Check(CreateEnv(LoggingLevelError, logId, &env));
        }

        Environment = env;

        IntPtr allocator;
        Check(GetAllocatorWithDefaultOptions(&allocator));
        DefaultAllocator = allocator;
    }

    /// <summary>
    /// The process-wide table; the first use loads the native library or throws how to get it. A failure is not
    /// remembered, so installing the library (or setting the variable) and calling again works.
    /// </summary>
    public static OrtApi Instance
    {
        get
        {
            OrtApi? api = Volatile.Read(ref shared);
            if (api is not null)
            {
                return api;
            }

            lock (Gate)
            {
                return shared ??= new OrtApi(OrtLibrary.Load());
            }
        }
    }

    /// <summary>The native library's own version string, e.g. "1.30.0".</summary>
    public string RuntimeVersion { get; }

    /// <summary>The process-wide <c>OrtEnv*</c>.</summary>
    public IntPtr Environment { get; }

    /// <summary>ONNX Runtime's default CPU allocator (owned by the runtime; never released).</summary>
    public IntPtr DefaultAllocator { get; }

    /// <summary>Throws the native error carried by <paramref name="status"/> (null = success), releasing it.</summary>
    public void Check(IntPtr status, string? context = null)
    {
        if (status == IntPtr.Zero)
        {
            return;
        }

        var code = (OnnxRuntimeErrorCode)GetErrorCode(status);
        string message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        throw new OnnxRuntimeException(code, context is null ? message : $"{context}: {message}");
    }

    /// <summary>Creates CPU memory info describing caller-owned buffers.</summary>
    public OrtMemoryInfoHandle CreateCpuMemoryInfoHandle()
    {
        IntPtr info;
        Check(CreateCpuMemoryInfo(ArenaAllocator, MemTypeDefault, &info));
        return new OrtMemoryInfoHandle(info);
    }

    /// <summary>Copies a string the runtime allocated with the default allocator, then frees it.</summary>
    public string TakeString(byte* value)
    {
        if (value == null)
        {
            return string.Empty;
        }

        try
        {
            return Marshal.PtrToStringUTF8((IntPtr)value) ?? string.Empty;
        }
        finally
        {
            Check(AllocatorFree(DefaultAllocator, value));
        }
    }
}
