using System.Numerics.Tensors;

namespace Microsoft.ML.Vae.Training;

/// <summary>Global L2-norm gradient clipping (as torch.nn.utils.clip_grad_norm_).</summary>
internal static class GradientClipping
{
    /// <summary>Rescales <paramref name="gradients"/> to norm <paramref name="maxNorm"/> when larger (0 = off); returns the norm before clipping.</summary>
    public static float Clip(Span<float> gradients, float maxNorm)
    {
        float norm = TensorPrimitives.Norm(gradients);
        if (maxNorm > 0 && norm > maxNorm)
        {
            TensorPrimitives.Multiply(gradients, maxNorm / norm, gradients);
        }

        return norm;
    }
}
