using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Vae.Onnx;

/// <summary>Name, element type and shape of a session input or output (-1 for a symbolic dimension).</summary>
internal sealed record OrtTensorInfo(string Name, int ElementType, long[] Shape);

/// <summary>
/// A caller-owned, already pinned buffer bound to a named tensor for one run: rank 1 <c>[rows]</c> when
/// <paramref name="columns"/> is 0, else rank 2 <c>[rows, columns]</c>.
/// </summary>
internal readonly unsafe struct OrtTensorBinding(IntPtr name, void* data, int elementType, int elementSize, long rows, long columns)
{
    public IntPtr Name { get; } = name;

    public void* Data { get; } = data;

    public int ElementType { get; } = elementType;

    public int ElementSize { get; } = elementSize;

    public long Rows { get; } = rows;

    public long Columns { get; } = columns;
}

/// <summary>
/// One loaded ONNX model (an <c>OrtSession*</c>) with its input/output descriptions and metadata. Runs read inputs
/// from and write outputs into caller buffers, so a run allocates no managed memory. Safe to run from many threads.
/// </summary>
internal sealed unsafe class OrtSession : IDisposable
{
    private readonly OrtApi api;
    private readonly OrtSessionHandle session;
    private readonly OrtMemoryInfoHandle memoryInfo;
    // Zero-terminated UTF-8 names on the pinned object heap: stable addresses for every run, freed by the GC.
    private readonly Dictionary<string, byte[]> nativeNames = new(StringComparer.Ordinal);

    private OrtSession(OrtApi api, OrtSessionHandle session)
    {
        this.api = api;
        this.session = session;
        try
        {
            memoryInfo = api.CreateCpuMemoryInfoHandle();
            Inputs = ReadTensorInfos(isInput: true);
            Outputs = ReadTensorInfos(isInput: false);
            Metadata = ReadMetadata();
            foreach (var info in Inputs.Concat(Outputs))
            {
                byte[] utf8 = GC.AllocateUninitializedArray<byte>(System.Text.Encoding.UTF8.GetByteCount(info.Name) + 1, pinned: true);
                System.Text.Encoding.UTF8.GetBytes(info.Name, utf8);
                utf8[^1] = 0;
                nativeNames[info.Name] = utf8;
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IReadOnlyList<OrtTensorInfo> Inputs { get; } = [];

    public IReadOnlyList<OrtTensorInfo> Outputs { get; } = [];

    public IReadOnlyDictionary<string, string> Metadata { get; } = new Dictionary<string, string>();

    /// <summary>Loads a model file; the runtime's error (e.g. not a protobuf) becomes an <see cref="OnnxRuntimeException"/>.</summary>
    public static OrtSession FromFile(string path, int threadCount)
    {
        var api = OrtApi.Instance;
        using var options = CreateOptions(api, threadCount);
        IntPtr handle;
        if (OperatingSystem.IsWindows())
        {
            fixed (char* widePath = path)
            {
                api.Check(api.CreateSession(api.Environment, widePath, options.DangerousGetHandle(), &handle), $"ONNX Runtime could not load '{path}'");
            }
        }
        else
        {
            IntPtr utf8Path = Marshal.StringToCoTaskMemUTF8(path);
            try
            {
                api.Check(api.CreateSession(api.Environment, (void*)utf8Path, options.DangerousGetHandle(), &handle), $"ONNX Runtime could not load '{path}'");
            }
            finally
            {
                Marshal.FreeCoTaskMem(utf8Path);
            }
        }

        return new OrtSession(api, new OrtSessionHandle(handle));
    }

    /// <summary>Loads a model from its serialized bytes.</summary>
    public static OrtSession FromBytes(ReadOnlySpan<byte> model, int threadCount)
    {
        var api = OrtApi.Instance;
        using var options = CreateOptions(api, threadCount);
        IntPtr handle;
        fixed (byte* data = model)
        {
            api.Check(api.CreateSessionFromArray(api.Environment, data, (nuint)model.Length, options.DangerousGetHandle(), &handle), "ONNX Runtime could not load the model");
        }

        return new OrtSession(api, new OrtSessionHandle(handle));
    }

    /// <summary>The native (pinned, zero-terminated UTF-8) copy of an input or output name.</summary>
    public IntPtr NativeName(string name) => (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(nativeNames[name]));

    /// <summary>Runs the model on one input, filling the requested outputs in place.</summary>
    public void Run(in OrtTensorBinding input, ReadOnlySpan<OrtTensorBinding> outputs)
    {
        int count = outputs.Length;
        IntPtr* values = stackalloc IntPtr[count];
        byte** names = stackalloc byte*[count];
        new Span<IntPtr>(values, count).Clear();
        IntPtr inputValue = IntPtr.Zero;
        bool referenced = false;
        try
        {
            // Keeps the session alive if another thread disposes the owner mid-run.
            session.DangerousAddRef(ref referenced);
            IntPtr memory = memoryInfo.DangerousGetHandle();
            inputValue = CreateTensor(memory, input);
            for (int i = 0; i < count; i++)
            {
                names[i] = (byte*)outputs[i].Name;
                values[i] = CreateTensor(memory, outputs[i]);
            }

            byte* inputName = (byte*)input.Name;
            api.Check(api.Run(session.DangerousGetHandle(), IntPtr.Zero, &inputName, &inputValue, 1, names, (nuint)count, values), "ONNX Runtime failed to run the model");
        }
        finally
        {
            ReleaseValue(inputValue);
            for (int i = 0; i < count; i++)
            {
                ReleaseValue(values[i]);
            }

            if (referenced)
            {
                session.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        session.Dispose();
        memoryInfo?.Dispose();
    }

    private static OrtSessionOptionsHandle CreateOptions(OrtApi api, int threadCount)
    {
        IntPtr options;
        api.Check(api.CreateSessionOptions(&options));
        var handle = new OrtSessionOptionsHandle(options);
        try
        {
            api.Check(api.SetIntraOpNumThreads(options, threadCount));
            api.Check(api.SetInterOpNumThreads(options, 1));
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private IntPtr CreateTensor(IntPtr memory, in OrtTensorBinding binding)
    {
        long* shape = stackalloc long[2] { binding.Rows, binding.Columns };
        nuint rank = binding.Columns == 0 ? 1u : 2u;
        nuint bytes = (nuint)(binding.Rows * Math.Max(binding.Columns, 1) * binding.ElementSize);
        IntPtr value;
        api.Check(api.CreateTensorWithDataAsOrtValue(memory, binding.Data, bytes, shape, rank, binding.ElementType, &value));
        OrtHandle.Created();
        return value;
    }

    private void ReleaseValue(IntPtr value)
    {
        if (value != IntPtr.Zero)
        {
            api.ReleaseValue(value);
            OrtHandle.Released();
        }
    }

    private OrtTensorInfo[] ReadTensorInfos(bool isInput)
    {
        IntPtr handle = session.DangerousGetHandle();
        nuint count;
        api.Check(isInput ? api.SessionGetInputCount(handle, &count) : api.SessionGetOutputCount(handle, &count));
        var infos = new OrtTensorInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* rawName;
            api.Check(isInput
                ? api.SessionGetInputName(handle, i, api.DefaultAllocator, &rawName)
                : api.SessionGetOutputName(handle, i, api.DefaultAllocator, &rawName));
            string name = api.TakeString(rawName);

            IntPtr rawTypeInfo;
            api.Check(isInput ? api.SessionGetInputTypeInfo(handle, i, &rawTypeInfo) : api.SessionGetOutputTypeInfo(handle, i, &rawTypeInfo));
            using var typeInfo = new OrtTypeInfoHandle(rawTypeInfo);

            // Borrowed from the type info: not released on its own. Null when the value is not a tensor.
            IntPtr tensorInfo;
            api.Check(api.CastTypeInfoToTensorInfo(rawTypeInfo, &tensorInfo));
            if (tensorInfo == IntPtr.Zero)
            {
                infos[(int)i] = new OrtTensorInfo(name, 0, []);
                continue;
            }

            int elementType;
            nuint rank;
            api.Check(api.GetTensorElementType(tensorInfo, &elementType));
            api.Check(api.GetDimensionsCount(tensorInfo, &rank));
            long[] shape = new long[(int)rank];
            fixed (long* dims = shape)
            {
                api.Check(api.GetDimensions(tensorInfo, dims, rank));
            }

            infos[(int)i] = new OrtTensorInfo(name, elementType, shape);
        }

        return infos;
    }

    private Dictionary<string, string> ReadMetadata()
    {
        IntPtr raw;
        api.Check(api.SessionGetModelMetadata(session.DangerousGetHandle(), &raw));
        using var metadata = new OrtModelMetadataHandle(raw);
        byte** keys;
        long keyCount;
        api.Check(api.ModelMetadataGetCustomMetadataMapKeys(raw, api.DefaultAllocator, &keys, &keyCount));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keys == null)
        {
            return result;
        }

        try
        {
            for (long k = 0; k < keyCount; k++)
            {
                byte* value;
                api.Check(api.ModelMetadataLookupCustomMetadataMap(raw, api.DefaultAllocator, keys[k], &value));
                result[Marshal.PtrToStringUTF8((IntPtr)keys[k]) ?? string.Empty] = api.TakeString(value);
            }
        }
        finally
        {
            for (long k = 0; k < keyCount; k++)
            {
                api.Check(api.AllocatorFree(api.DefaultAllocator, keys[k]));
            }

            api.Check(api.AllocatorFree(api.DefaultAllocator, keys));
        }

        return result;
    }
}
