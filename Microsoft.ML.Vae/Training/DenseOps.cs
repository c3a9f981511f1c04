using System.Numerics;
using System.Numerics.Tensors;
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
    /// </summary>
    public static void Forward(
        in DenseLayer layer, ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int rows,
        Activation activation, WorkerPool? pool, GemmPackedB? packedWeights = null)
    {
        int outputs = layer.Outputs;
        Gemm.Multiply(
            false, false, rows, outputs, layer.Inputs, x, parameters.Slice(layer.WeightOffset, layer.WeightCount), y,
            accumulate: false, pool, packedWeights);
        ReadOnlySpan<float> bias = parameters.Slice(layer.BiasOffset, outputs);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = y.Slice(r * outputs, outputs);
            BiasActivation(row, bias, activation);
        }

        if (activation == Activation.Sigmoid)
        {
            // One call over the whole block: TensorPrimitives' sigmoid runs on 512-bit vectors where the CPU has them.
            TensorPrimitives.Sigmoid(y[..(rows * outputs)], y);
        }
    }

    /// <summary>Bias add, fused with the activation for ReLU (max(y + b, 0)); sigmoid follows over the whole block.</summary>
    private static void BiasActivation(Span<float> row, ReadOnlySpan<float> bias, Activation activation)
    {
        switch (activation)
        {
            case Activation.Relu:
                int i = 0;
                for (; i <= row.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    Vector.Max(new Vector<float>(row[i..]) + new Vector<float>(bias[i..]), Vector<float>.Zero).CopyTo(row[i..]);
                }

                for (; i < row.Length; i++)
                {
                    row[i] = MathF.Max(row[i] + bias[i], 0f);
                }

                break;
            default:
                TensorPrimitives.Add(row, bias, row);
                break;
        }
    }

    /// <summary>
    /// Given dPre = dLoss/d(x·W + b) [rows, Out]: writes dW = xᵀ·dPre and db = column sums of dPre into
    /// <paramref name="gradients"/> (overwriting), and dx = dPre·Wᵀ into <paramref name="dx"/> (added to it when
    /// <paramref name="accumulateDx"/>; skipped when empty).
    /// </summary>
    public static void Backward(
        in DenseLayer layer, ReadOnlySpan<float> parameters, Span<float> gradients, ReadOnlySpan<float> x,
        ReadOnlySpan<float> dPre, Span<float> dx, int rows, bool accumulateDx, WorkerPool? pool)
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
            Gemm.Multiply(false, true, rows, inputs, outputs, dPre, parameters.Slice(layer.WeightOffset, layer.WeightCount), dx, accumulateDx, pool);
        }
    }

    /// <summary>ReLU backward: zeroes the gradient where the layer's output <paramref name="y"/> was not positive.</summary>
    public static void ReluBackward(ReadOnlySpan<float> y, Span<float> gradient)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= gradient.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var g = new Vector<float>(gradient[i..]);
                Vector<int> positive = Vector.GreaterThan(new Vector<float>(y[i..]), Vector<float>.Zero);
                Vector.ConditionalSelect(positive, g, Vector<float>.Zero).CopyTo(gradient[i..]);
            }
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
