namespace Microsoft.ML.Vae.Training;

/// <summary>
/// One dense layer y = activation(x · W + b) inside the flat parameter buffer.
/// W is [Inputs, Outputs] row-major at <see cref="WeightOffset"/> (Keras' kernel layout; PyTorch's Linear holds its
/// transpose); b is [Outputs] at <see cref="BiasOffset"/>.
/// </summary>
/// <param name="Inputs">Width of the layer's input.</param>
/// <param name="Outputs">Width of the layer's output.</param>
/// <param name="Activation">The nonlinearity after the affine map.</param>
/// <param name="WeightOffset">Where W starts in the flat parameter buffer.</param>
/// <param name="BiasOffset">Where b starts in the flat parameter buffer.</param>
public readonly record struct DenseLayer(int Inputs, int Outputs, Activation Activation, int WeightOffset, int BiasOffset)
{
    /// <summary>Inputs * Outputs: the number of weights.</summary>
    public int WeightCount => Inputs * Outputs;
}
