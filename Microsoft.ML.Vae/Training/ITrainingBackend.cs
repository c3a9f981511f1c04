using Microsoft.ML.Vae.Numerics;

namespace Microsoft.ML.Vae.Training;

/// <summary>
/// The numerics of one engine under the shared epoch loop (<see cref="VaeTrainer"/>): the loop owns the batch order, the
/// noise stream, the KL schedule, divergence checks, validation bookkeeping and reports, so every engine built on it
/// trains on the same batches with the same noise and stops by the same rules.
/// </summary>
internal interface ITrainingBackend : IDisposable
{
    /// <summary>
    /// One optimizer step on the request's rows <paramref name="rows"/>, with z = mean + exp(0.5 logvar) * eps where eps
    /// is the next rows x latent standard normal draws of <paramref name="noise"/>, row by row. Returns the batch's
    /// mean per-row loss before the update and the gradient's L2 norm before clipping; when the loss is not finite,
    /// the parameters may be left as they are.
    /// </summary>
    (BatchLoss Loss, float GradientNorm) Step(ReadOnlySpan<int> rows, DeterministicRandom noise, float klWeight);

    /// <summary>
    /// Called after the last step of every epoch: the Gaussian decoder's variances are set here from the epoch's mean
    /// squared reconstruction error (<see cref="DecoderVariance"/>).
    /// </summary>
    void EndEpoch();

    /// <summary>Mean per-row loss of the validation rows with z = latent mean and the KL weight at Beta.</summary>
    double ValidationLoss();

    /// <summary>Remembers the current parameters as the best so far.</summary>
    void KeepBest();

    /// <summary>The trained parameters in the core's flat layout: the kept best ones when <paramref name="best"/>.</summary>
    float[] Parameters(bool best);
}
