using System.Runtime.InteropServices;
using Microsoft.ML.Vae.Numerics;
using Microsoft.ML.Vae.Training;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Microsoft.ML.Vae.TorchSharp;

/// <summary>
/// The core's network on libtorch, under the core's epoch loop. The parameters live in one flat tensor in the core's
/// layout (each layer's weights [in, out] row-major, then its bias); every layer's weight and bias are leaf tensors
/// over slices of it, and their gradients slices of one flat gradient tensor. So a layer is y = b + x · W as the core
/// computes it (no transposition into PyTorch's [out, in]), the weights go in and out with one copy each, and
/// clipping and Adam are a few operations over two tensors.
/// Shapes (B rows, F features, L latent): x [B,F] -> encoder (ReLU) -> mean, logvar [B,L] -> z = mean + exp(logvar / 2) * eps
/// -> decoder (ReLU) -> logits [B,F]; loss = (reconstruction(logits, x) + klWeight * KL) / B, summed over rows.
/// </summary>
internal sealed class TorchSharpBackend : ITrainingBackend
{
    private readonly VaeTrainingRequest _request;
    private readonly List<IDisposable> _owned = [];
    private readonly Tensor _parameters;
    private readonly Tensor _gradients;
    private readonly Tensor[] _weights;
    private readonly Tensor[] _biases;
    private readonly Tensor _rows;
    private readonly Tensor _validation;
    private readonly long[] _indices;
    private readonly Tensor _indicesOnHost;
    private readonly Tensor _indicesOnDevice;
    private readonly float[] _noise;
    private readonly Tensor _noiseOnHost;
    private readonly Tensor _noiseOnDevice;
    private readonly float[] _statistics = new float[3];
    private readonly Tensor _statisticsOnHost;
    private readonly TorchAdam _adam;
    private readonly Scalar _one;
    private readonly Scalar _half;
    private Tensor? _best;

    public TorchSharpBackend(VaeTrainingRequest request, Device device)
    {
        _request = request;
        NetworkLayout layout = request.Layout;
        int batch = request.BatchSize;

        _parameters = Own(empty(layout.ParameterCount, ScalarType.Float32, device));
        using (Tensor initial = OverArray(request.InitialParameters))
        {
            _parameters.copy_(initial);
        }

        _gradients = Own(zeros(layout.ParameterCount, ScalarType.Float32, device));
        _weights = new Tensor[layout.AllLayers.Count];
        _biases = new Tensor[layout.AllLayers.Count];
        for (int i = 0; i < _weights.Length; i++)
        {
            DenseLayer layer = layout.AllLayers[i];
            _weights[i] = Leaf(layer.WeightOffset, layer.WeightCount, [layer.Inputs, layer.Outputs]);
            _biases[i] = Leaf(layer.BiasOffset, layer.Outputs, [layer.Outputs]);
        }

        // On the CPU the rows tensor is the request's own buffer; on a GPU, one copy uploaded before the first step.
        using (Tensor rows = OverArray(request.Rows))
        using (Tensor matrix = rows.view(request.RowCount, layout.FeatureCount))
        {
            _rows = Own(matrix.to(device));
        }

        using (Tensor validationIndices = tensor(request.ValidationRows.Span.ToArray().Select(i => (long)i).ToArray(), ScalarType.Int64, device))
        {
            _validation = Own(_rows.index_select(0, validationIndices));
        }

        _indices = new long[batch];
        _indicesOnHost = Own(frombuffer(_indices, ScalarType.Int64));
        _indicesOnDevice = device.type == DeviceType.CPU ? _indicesOnHost : Own(empty(batch, ScalarType.Int64, device));
        _noise = new float[batch * layout.LatentDimension];
        _noiseOnHost = Own(frombuffer(_noise, ScalarType.Float32));
        _noiseOnDevice = device.type == DeviceType.CPU ? _noiseOnHost : Own(empty(_noise.Length, ScalarType.Float32, device));
        _statisticsOnHost = Own(frombuffer(_statistics, ScalarType.Float32));
        _adam = Own(new TorchAdam(_parameters, request.Options.LearningRate));
        _one = Own(1f.ToScalar());
        _half = Own(0.5f.ToScalar());
    }

    public (BatchLoss Loss, float GradientNorm) Step(ReadOnlySpan<int> rows, DeterministicRandom noise, float klWeight)
    {
        int count = rows.Length;
        int latent = _request.Layout.LatentDimension;
        for (int i = 0; i < count; i++)
        {
            _indices[i] = rows[i];
        }

        noise.FillGaussian(_noise.AsSpan(0, count * latent));

        using DisposeScope scope = NewDisposeScope();
        Tensor indices = ToDevice(_indicesOnHost, _indicesOnDevice, count);
        Tensor eps = ToDevice(_noiseOnHost, _noiseOnDevice, count * latent).view(count, latent);
        Tensor x = _rows.index_select(0, indices);

        _gradients.zero_();
        (Tensor reconstruction, Tensor twiceKl) = Losses(x, eps);
        using (Scalar klScale = 0.5f * klWeight)
        using (Scalar perRow = 1f / count)
        {
            reconstruction.add(twiceKl, klScale).mul(perRow).backward();
        }

        // One read per step: the loss parts and the gradient norm before clipping.
        Tensor norm = _gradients.norm();
        _statisticsOnHost.copy_(stack([reconstruction.detach(), twiceKl.detach(), norm]));
        double reconstructionSum = _statistics[0], kl = 0.5 * _statistics[1];
        var loss = new BatchLoss((reconstructionSum + (klWeight * kl)) / count, reconstructionSum / count, kl / count);
        float gradientNorm = _statistics[2];
        if (!double.IsFinite(loss.Total) || !float.IsFinite(gradientNorm))
        {
            return (loss, gradientNorm);
        }

        float clipNorm = _request.Options.GradientClipNorm;
        if (clipNorm > 0 && gradientNorm > clipNorm)
        {
            using Scalar scale = clipNorm / gradientNorm;
            _gradients.mul_(scale);
        }

        _adam.Step(_parameters, _gradients);
        return (loss, gradientNorm);
    }

    public double ValidationLoss()
    {
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        long count = _validation.shape[0];
        double sum = 0;
        for (long start = 0; start < count; start += _request.BatchSize)
        {
            (Tensor reconstruction, Tensor twiceKl) = Losses(_validation.narrow(0, start, Math.Min(_request.BatchSize, count - start)), eps: null);
            sum += reconstruction.item<float>() + (_request.Options.Beta * 0.5 * twiceKl.item<float>());
        }

        return sum / count;
    }

    public void KeepBest()
    {
        _best ??= Own(empty_like(_parameters));
        _best.copy_(_parameters);
    }

    // The engine refuses the Gaussian decoder (whose variances are set here in the managed backend).
    public void EndEpoch()
    {
    }

    public float[] Parameters(bool best)
    {
        var result = new float[_request.Layout.ParameterCount];
        using Tensor destination = frombuffer(result, ScalarType.Float32);
        destination.copy_(best && _best is not null ? _best : _parameters);
        return result;
    }

    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    /// <summary>Sum over rows of the reconstruction loss, and sum over rows of 2 KL; z = mean where <paramref name="eps"/> is null.</summary>
    private (Tensor Reconstruction, Tensor TwiceKl) Losses(Tensor x, Tensor? eps)
    {
        NetworkLayout layout = _request.Layout;
        int layer = 0;
        Tensor hidden = x;
        for (int i = 0; i < layout.Encoder.Count; i++)
        {
            hidden = Dense(hidden, layer++).relu();
        }

        Tensor mean = Dense(hidden, layer++);
        Tensor logVariance = Dense(hidden, layer++);
        Tensor decoded = eps is null ? mean : logVariance.mul(_half).exp().mul(eps).add(mean);
        for (int i = 0; i < layout.Decoder.Count - 1; i++)
        {
            decoded = Dense(decoded, layer++).relu();
        }

        // The output layer stays as logits: the loss applies the sigmoid stably, as the core's does.
        Tensor logits = Dense(decoded, layer);
        Tensor reconstruction = layout.Loss == ReconstructionLoss.BinaryCrossEntropy
            ? functional.binary_cross_entropy_with_logits(logits, x, reduction: Reduction.Sum)
            : functional.mse_loss(logits, x, Reduction.Sum);

        // 2 KL = sum(exp(logvar) - logvar + mean^2 - 1), each term >= 0, so the sum keeps its precision for small KL.
        Tensor twiceKl = logVariance.exp().sub(logVariance).add(mean.mul(mean)).sub(_one).sum();
        return (reconstruction, twiceKl);
    }

    private Tensor Dense(Tensor input, int layer) => _biases[layer].addmm(input, _weights[layer]);

    /// <summary>A leaf that requires grad over a slice of the flat parameters, whose gradient is the same slice of the flat gradients.</summary>
    private Tensor Leaf(long offset, long length, long[] shape)
    {
        using Tensor slice = _parameters.narrow(0, offset, length);
        using Tensor view = slice.view(shape);
        Tensor leaf = Own(view.detach().requires_grad_(true));
        using Tensor gradientSlice = _gradients.narrow(0, offset, length);
        using Tensor gradient = gradientSlice.view(shape);
        leaf.grad = gradient;
        return leaf;
    }

    /// <summary>The first <paramref name="length"/> values of a host buffer, on the training device.</summary>
    private static Tensor ToDevice(Tensor host, Tensor device, long length)
    {
        Tensor hostPart = host.narrow(0, 0, length);
        return ReferenceEquals(host, device) ? hostPart : device.narrow(0, 0, length).copy_(hostPart);
    }

    /// <summary>A CPU tensor over the memory's own array (no copy) where it has one, else over a copy.</summary>
    private static Tensor OverArray(ReadOnlyMemory<float> memory)
    {
        if (MemoryMarshal.TryGetArray(memory, out ArraySegment<float> segment) && segment.Count > 0)
        {
            return frombuffer(segment.Array!, ScalarType.Float32, segment.Count, segment.Offset);
        }

        return tensor(memory.ToArray(), ScalarType.Float32);
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
