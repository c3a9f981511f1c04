using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.Vae.Numerics;

/// <summary>What a product does to C after its last multiply-add (a dense layer's elementwise step).</summary>
internal enum GemmEpilogueKind
{
    /// <summary>C is left as the product.</summary>
    None,

    /// <summary>C[i, j] += bias[j].</summary>
    Bias,

    /// <summary>C[i, j] = max(C[i, j] + bias[j], 0): a ReLU layer's forward.</summary>
    BiasRelu,

    /// <summary>C[i, j] = sigmoid(C[i, j] + bias[j]).</summary>
    BiasSigmoid,

    /// <summary>C[i, j] = 0 where mask[i, j] ≤ 0: a ReLU layer's backward, the mask being its output.</summary>
    ReluMask,
}

/// <summary>
/// An elementwise step applied to each block of C by the thread that computed the block, right after it, while the
/// block is still in that core's cache: the fused bias+activation of a dense layer's forward, and the ReLU mask of its
/// input gradient. Run as passes of their own after the product, these steps were serial.
/// </summary>
/// <remarks>
/// Every element's result depends only on its own value and operand, so results do not depend on how C is split into
/// blocks. The operand (bias [N], or mask [M, N] with C's layout) must stay pinned while the product runs.
/// </remarks>
internal readonly unsafe struct GemmEpilogue(GemmEpilogueKind kind, float* operand)
{
    public GemmEpilogueKind Kind { get; } = kind;

    /// <summary>Applies the step to rows [i0, i1) and columns [j0, j1) of C, whose rows are <paramref name="ldc"/> apart.</summary>
    // NoInlining: see VectorMath.BinaryCrossEntropy (vector loops run by pool threads stay methods of their own).
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public void Apply(float* c, int ldc, int i0, int i1, int j0, int j1)
    {
        int width = j1 - j0;
        if (Kind == GemmEpilogueKind.None || width <= 0)
        {
            return;
        }

        var bias = new ReadOnlySpan<float>(operand + j0, width);
        for (int i = i0; i < i1; i++)
        {
            var row = new Span<float>(c + ((nint)i * ldc) + j0, width);
            switch (Kind)
            {
                case GemmEpilogueKind.Bias:
                    TensorPrimitives.Add(row, bias, row);
                    break;
                case GemmEpilogueKind.BiasRelu:
                    AddRelu(row, bias);
                    break;
                case GemmEpilogueKind.BiasSigmoid:
                    TensorPrimitives.Add(row, bias, row);
                    TensorPrimitives.Sigmoid(row, row);
                    break;
                case GemmEpilogueKind.ReluMask:
                    Mask(row, new ReadOnlySpan<float>(operand + ((nint)i * ldc) + j0, width));
                    break;
            }
        }
    }

    /// <summary>row = max(row + bias, 0) in one pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRelu(Span<float> row, ReadOnlySpan<float> bias)
    {
        int i = 0;
        for (; i <= row.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector.Max(new Vector<float>(row[i..]) + new Vector<float>(bias[i..]), Vector<float>.Zero).CopyTo(row[i..]);
        }

        for (; i < row.Length; i++)
        {
            row[i] = MathF.Max(row[i] + bias[i], 0f);
        }
    }

    /// <summary>gradient = 0 where the layer's output <paramref name="y"/> was not positive.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mask(Span<float> gradient, ReadOnlySpan<float> y)
    {
        int i = 0;
        for (; i <= gradient.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<int> positive = Vector.GreaterThan(new Vector<float>(y[i..]), Vector<float>.Zero);
            Vector.ConditionalSelect(positive, new Vector<float>(gradient[i..]), Vector<float>.Zero).CopyTo(gradient[i..]);
        }

        for (; i < gradient.Length; i++)
        {
            if (y[i] <= 0f)
            {
                gradient[i] = 0f;
            }
        }
    }
}
