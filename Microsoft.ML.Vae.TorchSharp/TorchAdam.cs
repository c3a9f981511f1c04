using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Vae.TorchSharp;

/// <summary>
/// Adam over one flat parameter tensor, in place, with the core's arithmetic (PyTorch's defaults, the bias corrections
/// folded into the step size and the denominator): p -= (lr / c1) * m / (sqrt(v) / sqrt(c2) + eps). optim.Adam would
/// allocate its temporaries every step; here the moments and the denominator are allocated once.
/// </summary>
internal sealed class TorchAdam : IDisposable
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;
    private readonly Tensor _m;
    private readonly Tensor _v;
    private readonly Tensor _denominator;
    private readonly Scalar _beta1 = Beta1;
    private readonly Scalar _oneMinusBeta1 = 1f - Beta1;
    private readonly Scalar _beta2 = Beta2;
    private readonly Scalar _oneMinusBeta2 = 1f - Beta2;
    private readonly Scalar _epsilon = Epsilon;
    private readonly float _learningRate;
    private int _step;

    public TorchAdam(Tensor parameters, float learningRate)
    {
        _m = zeros_like(parameters);
        _v = zeros_like(parameters);
        _denominator = empty_like(parameters);
        _learningRate = learningRate;
    }

    /// <summary>One update of <paramref name="parameters"/> from <paramref name="gradients"/> (same shape and device).</summary>
    public void Step(Tensor parameters, Tensor gradients)
    {
        _step++;
        float correction1 = 1f - MathF.Pow(Beta1, _step);
        float correction2 = 1f - MathF.Pow(Beta2, _step);
        using Scalar inverseRootCorrection2 = 1f / MathF.Sqrt(correction2);
        using Scalar stepSize = -_learningRate / correction1;
        using var noGrad = no_grad();
        _m.mul_(_beta1).add_(gradients, _oneMinusBeta1);
        _v.mul_(_beta2).addcmul_(gradients, gradients, _oneMinusBeta2);
        _denominator.copy_(_v).sqrt_().mul_(inverseRootCorrection2).add_(_epsilon);
        parameters.addcdiv_(_m, _denominator, stepSize);
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
        _denominator.Dispose();
        _beta1.Dispose();
        _oneMinusBeta1.Dispose();
        _beta2.Dispose();
        _oneMinusBeta2.Dispose();
        _epsilon.Dispose();
    }
}
