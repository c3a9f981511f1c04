using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// Forward and backward of one dense layer over a batch, side by side.
/// Shapes: x [rows, In], y [rows, Out], W [In, Out], b [Out].
/// </summary>
internal static class DenseOps
{
    /// <summary>
    /// y = activation(x · W + b); <paramref name="activation"/> overrides the layer's (training keeps logits).
    /// <paramref name="packedWeights"/>, when given, is W packed once for the product (scoring's fixed weights).
    /// The bias and activation run inside the product, on each thread's block of y (<see cref="GemmEpilogue"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(
        in DenseLayer layer, ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int rows,
        Activation activation, WorkerPool? pool, GemmPackedB? packedWeights = null)
    {
        GemmEpilogueKind epilogue = activation switch
        {
            Activation.Relu => GemmEpilogueKind.BiasRelu,
            Activation.Sigmoid => GemmEpilogueKind.BiasSigmoid,
            _ => GemmEpilogueKind.Bias,
        };
        Gemm.Multiply(
            false, false, rows, layer.Outputs, layer.Inputs, x, parameters.Slice(layer.WeightOffset, layer.WeightCount), y,
            accumulate: false, pool, packedWeights, epilogue, parameters.Slice(layer.BiasOffset, layer.Outputs));
    }

    /// <summary>
    /// Runs layers [0, <paramref name="count"/>) of <paramref name="layers"/> from <paramref name="input"/>, each with its
    /// own activation; layer i writes into <c>outputs[i % outputs.Length]</c> (one buffer per layer keeps every
    /// activation for a backward pass, two take turns when scoring). <paramref name="packed"/>, when given, holds the
    /// layers' packed weights from index <paramref name="firstPacked"/>. Returns the last layer's output (the input
    /// when <paramref name="count"/> is 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReadOnlySpan<float> ForwardLayers(
        IReadOnlyList<DenseLayer> layers, int count, ReadOnlySpan<float> parameters, ReadOnlySpan<float> input, int rows,
        float[][] outputs, WorkerPool? pool, GemmPackedB?[]? packed = null, int firstPacked = 0)
    {
        for (int i = 0; i < count; i++)
        {
            DenseLayer layer = layers[i];
            Span<float> output = outputs[i % outputs.Length].AsSpan(0, rows * layer.Outputs);
            Forward(layer, parameters, input, output, rows, layer.Activation, pool, packed?[firstPacked + i]);
            input = output;
        }

        return input;
    }

    /// <summary>
    /// Given dPre = dLoss/d(x·W + b) [rows, Out]: writes dW = xᵀ·dPre and db = column sums of dPre into
    /// <paramref name="gradients"/> (overwriting), and dx = dPre·Wᵀ into <paramref name="dx"/> (added to it when
    /// <paramref name="accumulateDx"/>; skipped when empty). With <paramref name="inputIsRelu"/>, x is the output of
    /// a ReLU and dx becomes the gradient before it (zero where x is not positive), inside the product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(
        in DenseLayer layer, ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x,
        ReadOnlySpan<float> dPre, Span<float> dx, int rows, bool accumulateDx, bool inputIsRelu, WorkerPool? pool)
    {
        int inputs = layer.Inputs;
        int outputs = layer.Outputs;
        Gemm.Multiply(true, false, inputs, outputs, rows, x, dPre, gradients.Slice(layer.WeightOffset, layer.WeightCount), accumulate: false, pool);

        Span<float> db = gradients.Slice(layer.BiasOffset, outputs);
        dPre[..outputs].CopyTo(db);
        for (int r = 1; r < rows; r++)
        {
            TensorPrimitives.Add(db, dPre.Slice(r * outputs, outputs), db);
        }

        if (!dx.IsEmpty)
        {
            Gemm.Multiply(
                false, true, rows, inputs, outputs, dPre, parameters.Slice(layer.WeightOffset, layer.WeightCount), dx, accumulateDx, pool,
                epilogue: inputIsRelu ? GemmEpilogueKind.ReluMask : GemmEpilogueKind.None, epilogueOperand: x);
        }
    }
}
