namespace Microsoft.ML.Vae.Training;

/// <summary>
/// One dense layer y = activation(x · W + b) inside the flat parameter buffer.
/// W is [Inputs, Outputs] row-major at <see cref="WeightOffset"/> (Keras' kernel layout);
/// b is [Outputs] at <see cref="BiasOffset"/>.
/// </summary>
internal readonly record struct DenseLayer(int Inputs, int Outputs, Activation Activation, int WeightOffset, int BiasOffset)
{
    public int WeightCount => Inputs * Outputs;
}
