using Microsoft.ML.Vae.Training;
using TorchSharp;

namespace Microsoft.ML.Vae.TorchSharp;

/// <summary>
/// Trains Microsoft.ML.Vae's network on libtorch through TorchSharp, on the CPU or a CUDA device: set it on
/// <see cref="VaeOptions.TrainingEngine"/>. It trains exactly the network the library's own engine trains (layers,
/// activations, loss, beta and KL warm-up, gradient clipping, Adam, early stopping) from the same initial weights, on
/// the same batches with the same noise, so the model that comes out is an ordinary <see cref="VaeTransformer"/>.
/// </summary>
/// <remarks>
/// The application references a libtorch package as well: <c>libtorch-cpu-linux-x64</c> (or <c>TorchSharp-cpu</c>) for the
/// CPU, <c>TorchSharp-cuda-linux</c> or <c>TorchSharp-cuda-windows</c> for NVIDIA GPUs. On the CPU, training uses
/// <see cref="VaeOptions.ThreadCount"/> threads, or one when it is 0 (libtorch's OpenMP threads spin while they wait,
/// which costs more than a second thread gains when anything else runs on the cores); the setting is process-wide in
/// libtorch, so trainings running at once in one process share the last one set.
/// </remarks>
public sealed class TorchSharpTrainingEngine : IVaeTrainingEngine
{
    /// <summary>Creates an engine for <paramref name="device"/>: "cpu", "cuda" (the first CUDA device) or "cuda:N".</summary>
    /// <exception cref="ArgumentException"><paramref name="device"/> is none of those.</exception>
    public TorchSharpTrainingEngine(string device = "cpu")
    {
        Device = TorchDevice.Parse(device);
    }

    /// <summary>The device training runs on, as given ("cpu", "cuda", "cuda:1").</summary>
    public string Device { get; }

    /// <inheritdoc/>
    /// <exception cref="TorchSharpUnavailableException">
    /// libtorch's native libraries cannot be loaded, or the CUDA device is not there (the message says why and what to install).
    /// </exception>
    /// <exception cref="NotSupportedException">
    /// The options ask for <see cref="ReconstructionLoss.Gaussian"/> or <see cref="VaeOptions.InputNoise"/>, which only the
    /// managed engine supports so far (so does <see cref="VaeOptions.ForAnomalyDetection"/>, which uses the Gaussian decoder).
    /// </exception>
    public VaeTrainingResult Train(VaeTrainingRequest request, IProgress<VaeEpochReport>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfUnsupported(request.Options);
        TorchNative.EnsureLoaded();
        torch.Device device = TorchDevice.Resolve(Device);
        torch.set_num_threads(request.Options.ThreadCount > 0 ? request.Options.ThreadCount : 1);
        using var backend = new TorchSharpBackend(request, device);
        return VaeTrainer.Train(request, backend, progress, cancellationToken);
    }

    private static void ThrowIfUnsupported(VaeOptions options)
    {
        if (options.ReconstructionLoss == ReconstructionLoss.Gaussian)
        {
            throw new NotSupportedException(
                "ReconstructionLoss.Gaussian is not supported by the TorchSharp engine yet; use the managed engine (VaeOptions.TrainingEngine = null).");
        }

        if (options.InputNoise > 0)
        {
            throw new NotSupportedException(
                "VaeOptions.InputNoise (denoising training) is not supported by the TorchSharp engine yet; use the managed engine (VaeOptions.TrainingEngine = null).");
        }
    }

    /// <summary>The engine and its device, e.g. "TorchSharp (cuda:1)".</summary>
    public override string ToString() => $"TorchSharp ({Device})";
}
