namespace Microsoft.ML.Vae.Training;

/// <summary>
/// Trains the network a <see cref="VaeEstimator"/> describes. Set one on <see cref="VaeOptions.TrainingEngine"/> to train
/// elsewhere than on the library's own numerics (null, the default): e.g. <c>TorchSharpTrainingEngine</c> from the
/// Microsoft.ML.Vae.TorchSharp package trains on libtorch, on the CPU or a CUDA device.
/// </summary>
/// <remarks>
/// The estimator scales the rows, splits off the validation rows and initializes the weights before it calls the
/// engine, and builds the <see cref="VaeTransformer"/> (threshold, model file, ONNX export) from what the engine returns,
/// so every engine yields the same kind of model. An engine trains what <see cref="VaeTrainingRequest.Options"/> asks for
/// (epochs, batch size, Adam's learning rate, beta and KL warm-up, gradient clipping, early stopping) on the network of
/// <see cref="VaeTrainingRequest.Layout"/>, reports each epoch to the progress sink, and checks the cancellation token
/// before every batch.
/// </remarks>
public interface IVaeTrainingEngine
{
    /// <summary>Trains from <see cref="VaeTrainingRequest.InitialParameters"/> and returns the trained parameters in the same layout.</summary>
    /// <param name="request">The network, the scaled rows, the validation split, the initial weights and the options.</param>
    /// <param name="progress">Receives a report after every epoch.</param>
    /// <param name="cancellationToken">Checked before every batch.</param>
    /// <exception cref="VaeTrainingException">The loss or the gradient became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    VaeTrainingResult Train(VaeTrainingRequest request, IProgress<VaeEpochReport>? progress, CancellationToken cancellationToken);
}
